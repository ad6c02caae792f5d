import { Agent, request } from 'undici';
import { z } from 'zod';

export const DEFAULT_ZALO_API_ROOT = 'https://bot-api.zaloplatforms.com';

/** Zalo said no (`ok: false`): its error code and description. */
export class ZaloApiError extends Error {
  constructor(
    readonly method: string,
    readonly errorCode: number,
    readonly description: string,
  ) {
    super(`Zalo ${method} failed: ${errorCode} ${description.slice(0, 200)}`);
    this.name = 'ZaloApiError';
  }
}

/** The network failed before Zalo answered. */
export class ZaloHttpError extends Error {
  constructor(
    readonly method: string,
    cause: unknown,
  ) {
    super(`Zalo ${method}: network error (${cause instanceof Error ? cause.name : typeof cause})`);
    this.name = 'ZaloHttpError';
  }
}

const EnvelopeSchema = z.object({
  ok: z.boolean(),
  result: z.unknown().optional(),
  error_code: z.number().optional(),
  description: z.string().optional(),
});

export const ZaloMessageSchema = z.object({
  message_id: z.string().min(1).max(200),
  from: z.object({
    id: z.string().min(1).max(200),
    display_name: z.string().optional(),
    is_bot: z.boolean().optional(),
  }),
  chat: z.object({ id: z.string().min(1).max(200), chat_type: z.string().optional() }),
  date: z.number().optional(),
  text: z.string().optional(),
  photo: z.string().optional(),
  caption: z.string().nullish(),
  sticker: z.string().optional(),
});

/** One update (Zalo sends one per call, webhook or getUpdates). */
export const ZaloUpdateSchema = z.object({
  event_name: z.string().min(1).max(100),
  message: ZaloMessageSchema.optional(),
});
export type ZaloUpdate = z.infer<typeof ZaloUpdateSchema>;

export interface ZaloClient {
  call<T = unknown>(method: string, params?: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** One update, or undefined when the long poll ended empty (Zalo's 408). */
  getUpdate(timeoutSeconds: number): Promise<ZaloUpdate | undefined>;
  sendMessage(chatId: string, text: string): Promise<{ message_id?: string }>;
}

/**
 * The Zalo Bot Platform API: `<root>/bot<token>/<method>`, JSON in, `{ ok, result }` out.
 * The token never reaches a log or an error message.
 */
export function createZaloClient(options: { token: string; apiRoot?: string }): ZaloClient {
  const base = `${(options.apiRoot ?? DEFAULT_ZALO_API_ROOT).replace(/\/+$/, '')}/bot${options.token}`;
  // undici's request() rather than fetch(): the same client without the WHATWG streams, about
  // half the event loop's cost per call, and one update costs a getUpdates and a sendMessage.
  // Connections are kept for the long polls; the body timeout covers a poll of up to 60 s.
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, bodyTimeout: 0, headersTimeout: 0 });
  async function call<T>(
    method: string,
    params: Record<string, unknown> = {},
    timeoutMs = 30_000,
  ): Promise<T> {
    let status: number;
    let json: unknown;
    try {
      const response = await request(`${base}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params),
        signal: AbortSignal.timeout(timeoutMs),
        dispatcher,
      });
      status = response.statusCode;
      json = await response.body.json().catch(() => undefined);
    } catch (error) {
      throw new ZaloHttpError(method, error);
    }
    const body = EnvelopeSchema.safeParse(json);
    if (!body.success) throw new ZaloApiError(method, status, 'malformed answer');
    if (!body.data.ok)
      throw new ZaloApiError(method, body.data.error_code ?? status, body.data.description ?? '');
    return body.data.result as T;
  }
  return {
    call,
    async getUpdate(timeoutSeconds) {
      try {
        const result = await call(
          'getUpdates',
          { timeout: String(timeoutSeconds) },
          (timeoutSeconds + 10) * 1000,
        );
        const update = ZaloUpdateSchema.safeParse(result);
        return update.success ? update.data : undefined;
      } catch (error) {
        if (error instanceof ZaloApiError && error.errorCode === 408) return undefined;
        throw error;
      }
    },
    sendMessage: (chatId, text) => call('sendMessage', { chat_id: chatId, text }),
  };
}
