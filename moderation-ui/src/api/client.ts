import { type ApiErrorCode, ApiErrorCodeSchema } from '@tinbao/shared/api/errors';
import { z } from 'zod';

/**
 * The one way the UI talks to the API: same-origin JSON under /api/v1, never cached, the
 * CSRF token on every state-changing request, `{ ok:false, error, message }` turned into
 * an ApiError, and a 401 anywhere ends the session in the UI.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** One of the API's codes, or `http_<status>` when the answer was not the API's (a proxy page). */
    readonly code: ApiErrorCode | `http_${number}`,
    message: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The request never reached the API (offline, DNS, server down). */
export class NetworkError extends Error {
  constructor() {
    super('network error');
    this.name = 'NetworkError';
  }
}

type Query = Record<string, string | number | boolean | undefined | null | readonly string[]>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;
let onPasswordChangeRequired: (() => void) | null = null;

/** Set after login and from /auth/me; cleared on logout. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The session layer registers what a 401 means (clear everything, show login). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

/** The session layer registers what a 403 `password_change_required` means (show that page). */
export function setPasswordChangeRequiredHandler(handler: (() => void) | null): void {
  onPasswordChangeRequired = handler;
}

export function buildUrl(path: string, query?: Query): string {
  // Paths the API hands out (photo URLs) are already absolute.
  const url = new URL(path.startsWith('/api/') ? path : `/api/v1${path}`, window.location.origin);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, item);
    else url.searchParams.set(key, String(value));
  }
  return url.pathname + url.search;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new NetworkError();
  }
  if (!response.ok) throw await toApiError(response, path);
  return response;
}

const JsonObjectSchema = z.record(z.string(), z.unknown());

async function toApiError(response: Response, path: string): Promise<ApiError> {
  let body: Record<string, unknown> = {};
  try {
    // Any JSON object: the fields read below are each checked (the code against ApiErrorCode).
    body = JsonObjectSchema.catch({}).parse(await response.json());
  } catch {
    // Not JSON (a proxy error page): keep the status only.
  }
  const parsed = ApiErrorCodeSchema.safeParse(body.error);
  const code = parsed.success ? parsed.data : (`http_${response.status}` as const);
  const message = typeof body.message === 'string' ? body.message : response.statusText;
  // Login endpoints answer 401 for a wrong password: that is not a lost session.
  if (response.status === 401 && !path.startsWith('/auth/login')) onUnauthorized?.();
  if (response.status === 403 && code === 'password_change_required') onPasswordChangeRequired?.();
  return new ApiError(response.status, code, message, body);
}

/** JSON request; resolves with the body as sent (for answers nobody reads: logout, keep-alive). */
export async function api<T = unknown>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/**
 * JSON request whose answer is parsed with the shared zod schema the API answers with: an
 * answer off the contract fails here, at the edge, not deep inside a page.
 */
export async function apiParse<S extends z.ZodType>(
  schema: S,
  path: string,
  options: RequestOptions = {},
): Promise<z.output<S>> {
  return schema.parse(await api<unknown>(path, options));
}

/** Binary request (photos): the caller makes an object URL and revokes it on leave. */
export async function apiBlob(path: string, options: RequestOptions = {}): Promise<Blob> {
  const response = await send(path, options);
  return response.blob();
}
