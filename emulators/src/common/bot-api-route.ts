import type { NextFunction, Request, Response } from 'express';
import { BotApiError } from './api-error';
import { type Fault, type FaultList, faultError } from './faults';
import { readBotApiParams, type UploadedPart } from './request-body';
import { delay, exchangeAbortSignal } from './signal';

const BOT_API_PATH = /^\/bot([^/]+)\/([A-Za-z0-9_]+)\/?$/;

export interface BotApiCall {
  params: Record<string, unknown>;
  files: Map<string, UploadedPart>;
  /** Fires when the HTTP client goes away or the emulator closes (ends a long poll). */
  abort: AbortSignal;
}

export interface BotApiRouteOptions {
  faults: FaultList;
  closing: AbortSignal;
  uploadLimit: number;
  /** The platform's usual description per error code, for faults injected without one. */
  faultDescriptions: Record<number, string>;
  /** Whether an injected 429 carries `parameters.retry_after`. */
  retryAfter: boolean;
  /** The HTTP status an error is sent with (the error code itself unless told otherwise). */
  httpStatus?: (errorCode: number) => number;
  call: (token: string, method: string, call: BotApiCall) => Promise<unknown>;
}

/**
 * `/bot<token>/<method>` with the platforms' shared envelope: parameters from the query string and
 * the body, injected faults (late answer, lost connection, error), then `{ ok: true, result }` or
 * `{ ok: false, error_code, description, parameters? }`.
 */
export function botApiRoute(options: BotApiRouteOptions) {
  const statusOf = options.httpStatus ?? ((code: number) => code);
  const injected = (fault: Fault | undefined) =>
    fault && faultError(fault, options.faultDescriptions, { retryAfter: options.retryAfter });

  return async (request: Request, response: Response, next: NextFunction) => {
    const match = BOT_API_PATH.exec(request.path);
    if (!match) {
      next();
      return;
    }
    const [, token = '', method = ''] = match;
    try {
      const query = new URL(request.originalUrl, 'http://emulator').searchParams;
      const { params, files } = await readBotApiParams(request, query, options.uploadLimit);
      const abort = exchangeAbortSignal(response, options.closing);
      const fault = options.faults.take(method, params);
      if (fault?.delay_ms) await delay(fault.delay_ms, abort);
      if (fault?.disconnect) {
        request.socket.destroy();
        return;
      }
      const error = injected(fault);
      if (error) throw error;
      const result = await options.call(decodeURIComponent(token), method, { params, files, abort });
      if (response.writable) response.json({ ok: true, result });
    } catch (error) {
      if (!response.writable || response.headersSent) return;
      if (error instanceof BotApiError) {
        response.status(statusOf(error.errorCode)).json({
          ok: false,
          error_code: error.errorCode,
          description: error.description,
          ...(error.parameters ? { parameters: error.parameters } : {}),
        });
      } else {
        response.status(500).json({ ok: false, error_code: 500, description: 'Internal Server Error' });
      }
    }
  };
}
