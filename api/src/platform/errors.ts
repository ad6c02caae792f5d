import type { Logger } from '@tinbao/shared';
import type { ApiErrorCode } from '@tinbao/shared/api/errors';
import type { ErrorRequestHandler } from 'express';

/** The one error type HTTP handlers throw: a status and a stable code of the shared ApiErrorCode enum. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new AppError(400, 'invalid_request', message, details);
export const unauthorized = (message = 'authentication required') =>
  new AppError(401, 'unauthorized', message);
export const forbidden = (message = 'not allowed') => new AppError(403, 'forbidden', message);
export const notFound = (what = 'resource') => new AppError(404, 'not_found', `${what} not found`);
export const conflict = (code: ApiErrorCode, message: string, details?: Record<string, unknown>) =>
  new AppError(409, code, message, details);
/** 410: what was asked for existed and was deleted on purpose (a purged tip's content). */
export const gone = (code: ApiErrorCode, message: string, details?: Record<string, unknown>) =>
  new AppError(410, code, message, details);
export const tooManyRequests = (message = 'too many requests, try again later') =>
  new AppError(429, 'rate_limited', message);

/** `{ ok: false, error, message }`; unknown errors become `internal_error` with no detail. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (error instanceof AppError) {
      res
        .status(error.status)
        .json({ ok: false, error: error.code, message: error.message, ...(error.details ?? {}) });
      return;
    }
    // Body-parser errors (malformed JSON, too large) carry a status and are the client's fault.
    const status = typeof error?.status === 'number' ? error.status : undefined;
    if (status && status >= 400 && status < 500) {
      res.status(status).json({
        ok: false,
        error: error.type === 'entity.too.large' ? 'payload_too_large' : 'invalid_request',
        message: status === 413 ? 'request body is too large' : 'request body is not valid JSON',
      });
      return;
    }
    logger.error(
      { err: error instanceof Error ? error.message : String(error), path: req.path },
      'unhandled error',
    );
    res.status(500).json({ ok: false, error: 'internal_error', message: 'internal error' });
  };
}
