import { type ReceiptStatus, ReceiptStatusResponseSchema } from '@tinbao/shared/api/tips';

export type StatusLookupResult =
  | { kind: 'found'; status: ReceiptStatus }
  | { kind: 'not_found' }
  | { kind: 'busy' }
  | { kind: 'unavailable' };

/** Looks a receipt code up in the API's public receipt route; carries the code only. */
export type StatusLookup = (receiptCode: string) => Promise<StatusLookupResult>;

export function createStatusLookup(apiUrl: string, timeoutMs = 5000): StatusLookup {
  const base = apiUrl.replace(/\/+$/, '');
  return async (receiptCode) => {
    let response: Response;
    try {
      response = await fetch(`${base}/api/v1/receipts/${encodeURIComponent(receiptCode)}`, {
        signal: AbortSignal.timeout(timeoutMs),
        headers: { accept: 'application/json' },
      });
    } catch {
      return { kind: 'unavailable' };
    }
    if (response.status === 404) return { kind: 'not_found' };
    if (response.status === 429) return { kind: 'busy' };
    if (!response.ok) return { kind: 'unavailable' };
    const parsed = ReceiptStatusResponseSchema.safeParse(await response.json().catch(() => undefined));
    return parsed.success ? { kind: 'found', status: parsed.data.status } : { kind: 'unavailable' };
  };
}
