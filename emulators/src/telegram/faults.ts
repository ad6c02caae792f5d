import { z } from 'zod';
import { TelegramApiError } from './api-error';

/**
 * Faults a test injects to see how the bot copes with Telegram saying no (429 with retry_after,
 * 5xx), answering slowly, or dropping the connection. Each fault applies to the next `count`
 * matching calls, then is gone.
 */
export const FaultSchema = z
  .object({
    /** A Bot API method name (case-insensitive) or '*' for every method. */
    method: z.string().regex(/^([A-Za-z]{2,64}|\*)$/, 'must be a Bot API method name or *'),
    count: z.number().int().min(1).max(100_000).default(1),
    /** Only calls whose chat_id is this chat. */
    chatId: z.number().int().optional(),
    error_code: z.number().int().min(400).max(599).optional(),
    description: z.string().min(1).max(200).optional(),
    retry_after: z.number().int().min(1).max(3600).optional(),
    /** Close the connection without an answer (grammY reports an HttpError). */
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

const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request: emulated fault',
  401: 'Unauthorized',
  403: 'Forbidden: bot was blocked by the user',
  409: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

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
    const chatId = params.chat_id === undefined ? undefined : Number(params.chat_id);
    const fault = this.faults.find(
      (candidate) =>
        (candidate.method === '*' || candidate.method.toLowerCase() === name) &&
        (candidate.chatId === undefined || candidate.chatId === chatId),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((candidate) => candidate !== fault);
    return fault;
  }
}

export function faultError(fault: Fault): TelegramApiError | undefined {
  if (fault.error_code === undefined) return undefined;
  const code = fault.error_code;
  if (code === 429) {
    const retryAfter = fault.retry_after ?? 1;
    return new TelegramApiError(429, fault.description ?? `Too Many Requests: retry after ${retryAfter}`, {
      retry_after: retryAfter,
    });
  }
  return new TelegramApiError(code, fault.description ?? DEFAULT_DESCRIPTIONS[code] ?? 'Emulated fault');
}
