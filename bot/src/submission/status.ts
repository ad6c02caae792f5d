import {
  type ReceiptQuestion,
  type ReceiptStatus,
  ReceiptStatusResponseSchema,
} from '@tinbao/shared/api/tips';
import type { Redis } from 'ioredis';
import type { Pseudonyms } from './pseudonyms';
import type { Resident } from './submit';

export type StatusLookupResult =
  | { kind: 'found'; status: ReceiptStatus; tipId?: string; questions?: ReceiptQuestion[] }
  | { kind: 'not_found' }
  | { kind: 'busy' }
  | { kind: 'unavailable' };

/** The API's view of who asks: a keyed hash of the resident in its own scope, never the id. */
export const statusResidentScope = (who: Pick<Resident, 'scope'>) => `${who.scope}-status`;

/**
 * Looks a receipt code up in the API's public receipt route; carries the code and, for the
 * API's rate limit, a keyed hash of the resident (never the platform id).
 */
export type StatusLookup = (
  receiptCode: string,
  options?: { resident?: string },
) => Promise<StatusLookupResult>;

export interface StatusLookupOptions {
  /** TINBAO_BOT_API_TOKEN: lets the API rate-limit per resident rather than per bot IP. */
  botToken?: string;
  timeoutMs?: number;
}

export function createStatusLookup(apiUrl: string, options: StatusLookupOptions = {}): StatusLookup {
  const base = apiUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 5000;
  return async (receiptCode, lookup = {}) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.botToken && lookup.resident) {
      headers['x-tinbao-bot-token'] = options.botToken;
      headers['x-tinbao-resident'] = lookup.resident;
    }
    let response: Response;
    try {
      response = await fetch(`${base}/api/v1/receipts/${encodeURIComponent(receiptCode)}`, {
        signal: AbortSignal.timeout(timeoutMs),
        headers,
      });
    } catch {
      return { kind: 'unavailable' };
    }
    if (response.status === 404) return { kind: 'not_found' };
    if (response.status === 429) return { kind: 'busy' };
    if (!response.ok) return { kind: 'unavailable' };
    const parsed = ReceiptStatusResponseSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) return { kind: 'unavailable' };
    const { status, tipId, questions } = parsed.data;
    return { kind: 'found', status, ...(tipId ? { tipId } : {}), ...(questions ? { questions } : {}) };
  };
}

/** At most this many /trangthai lookups per resident per STATUS_LOOKUP_WINDOW_SECONDS. */
export const STATUS_LOOKUPS_PER_WINDOW = 10;
export const STATUS_LOOKUP_WINDOW_SECONDS = 600;

/**
 * Counts one lookup for the resident and says whether it is over the limit. The counter is
 * named by a keyed hash of the user id (its own scope), never by the id.
 */
export async function isStatusLookupLimited(
  deps: { redis: Redis; redisPrefix: string; pseudonyms: Pseudonyms },
  who: Pick<Resident, 'scope' | 'userId'>,
): Promise<boolean> {
  const key = `${deps.redisPrefix}:bot:status-rate:${await deps.pseudonyms.of(`${who.scope}-status-rate`, who.userId)}`;
  const result = await deps.redis.multi().incr(key).expire(key, STATUS_LOOKUP_WINDOW_SECONDS, 'NX').exec();
  return Number(result?.[0]?.[1] ?? 0) > STATUS_LOOKUPS_PER_WINDOW;
}
