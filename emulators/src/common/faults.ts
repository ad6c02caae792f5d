import { z } from 'zod';
import { BotApiError } from './api-error';

/**
 * Faults a test injects to see how the bot copes with the platform saying no (429, 5xx),
 * answering slowly, or dropping the connection. Each fault applies to the next `count` matching
 * calls, then is gone. Both emulators use it; only the default descriptions differ.
 */
export const FaultSchema = z
  .object({
    /** A Bot API method name (case-insensitive) or '*' for every method. */
    method: z.string().regex(/^([A-Za-z]{2,64}|\*)$/, 'must be a Bot API method name or *'),
    count: z.number().int().min(1).max(100_000).default(1),
    /** Only calls whose chat_id is this chat (a number on Telegram, an opaque string on Zalo). */
    chatId: z.union([z.number().int(), z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)]).optional(),
    error_code: z.number().int().min(400).max(599).optional(),
    description: z.string().min(1).max(200).optional(),
    retry_after: z.number().int().min(1).max(3600).optional(),
    /** Close the connection without an answer (the client sees a network error). */
    disconnect: z.boolean().optional(),
    /** Wait this long first; with nothing else the call then succeeds. */
    delay_ms: z.number().int().min(0).max(60_000).optional(),
  })
  .refine(
    (fault) => fault.error_code !== undefined || fault.disconnect === true || fault.delay_ms !== undefined,
    {
      message: 'give error_code, disconnect or delay_ms',
    },
  );

export type FaultInput = z.input<typeof FaultSchema>;

export interface Fault extends z.output<typeof FaultSchema> {
  id: number;
  remaining: number;
}

export class FaultList {
  private faults: Fault[] = [];
  private lastId = 0;

  add(input: FaultInput): Fault {
    const parsed = FaultSchema.parse(input);
    this.lastId += 1;
    const fault: Fault = { ...parsed, id: this.lastId, remaining: parsed.count };
    this.faults.push(fault);
    return fault;
  }

  clear(): void {
    this.faults = [];
  }

  get size(): number {
    return this.faults.length;
  }

  /** The first fault matching this call, consumed by one. */
  take(method: string, params: Record<string, unknown>): Fault | undefined {
    const name = method.toLowerCase();
    // Compared as text: "-100" in a query string is the chat -100 of a JSON body.
    const chatId = params.chat_id === undefined ? undefined : String(params.chat_id);
    const fault = this.faults.find(
      (candidate) =>
        (candidate.method === '*' || candidate.method.toLowerCase() === name) &&
        (candidate.chatId === undefined || String(candidate.chatId) === chatId),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((candidate) => candidate !== fault);
    return fault;
  }
}

/**
 * The error an injected fault answers with; `descriptions` are the platform's usual texts per
 * code, and `retryAfter` says whether a 429 carries `parameters.retry_after` (Telegram's does).
 */
export function faultError(
  fault: Fault,
  descriptions: Record<number, string>,
  options: { retryAfter: boolean },
): BotApiError | undefined {
  if (fault.error_code === undefined) return undefined;
  const code = fault.error_code;
  if (code === 429 && options.retryAfter) {
    const retryAfter = fault.retry_after ?? 1;
    return new BotApiError(429, fault.description ?? `Too Many Requests: retry after ${retryAfter}`, {
      retry_after: retryAfter,
    });
  }
  return new BotApiError(code, fault.description ?? descriptions[code] ?? 'Emulated fault');
}
