import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { BotApiError } from './api-error';
import { readRawBody } from './request-body';

/** Control API errors use the house shape `{ ok:false, error, message }`. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The longest long poll of the control API, in seconds. */
export const MAX_WAIT_SECONDS = 60;

export const asyncRoute =
  (handler: (request: Request, response: Response) => Promise<void> | void) =>
  (request: Request, response: Response, next: NextFunction) => {
    Promise.resolve(handler(request, response)).catch(next);
  };

export function numberQuery(
  request: Request,
  name: string,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const raw = request.query[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new ControlError(400, 'invalid_query', `${name} must be a non-negative number`);
  }
  return Math.min(value, max);
}

/** A raw upload of at most `limit` bytes (413 beyond it). */
export async function readUpload(request: Request, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  const tooLarge = new ControlError(413, 'file_too_large', `files are limited to ${limit / 1024 / 1024} MB`);
  if (declared > limit) {
    request.resume();
    throw tooLarge;
  }
  try {
    return await readRawBody(request, limit);
  } catch (error) {
    throw error instanceof BotApiError && error.errorCode === 413 ? tooLarge : error;
  }
}

export function unknownEndpoint(_request: Request, response: Response): void {
  response.status(404).json({ ok: false, error: 'not_found', message: 'unknown emulator control endpoint' });
}

/** The control API's one error middleware: every failure becomes `{ ok:false, error, message }`. */
export function controlErrorHandler(
  error: unknown,
  _request: Request,
  response: Response,
  _next: NextFunction,
): void {
  if (response.headersSent) return;
  if (error instanceof ControlError) {
    response.status(error.status).json({ ok: false, error: error.code, message: error.message });
  } else if (error instanceof z.ZodError) {
    const message = error.issues
      .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
      .join('; ');
    response.status(400).json({ ok: false, error: 'invalid_body', message });
  } else if (error instanceof BotApiError && error.errorCode === 413) {
    response.status(413).json({ ok: false, error: 'file_too_large', message: 'the file is too large' });
  } else if ((error as { type?: string }).type === 'entity.parse.failed') {
    response.status(400).json({ ok: false, error: 'invalid_json', message: 'the body is not valid JSON' });
  } else if ((error as { type?: string }).type === 'entity.too.large') {
    response.status(413).json({ ok: false, error: 'body_too_large', message: 'the JSON body is too large' });
  } else {
    response.status(500).json({ ok: false, error: 'internal_error', message: 'internal emulator error' });
  }
}
