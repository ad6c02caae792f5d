import { type EmulatorState, nowSeconds } from './state';

const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 5000;
const REQUEST_TIMEOUT_MS = 60_000;

/** Waits `ms`, or less if `abort` fires first (shutdown must not wait for a back-off). */
export const delay = (ms: number, abort: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    abort.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/**
 * Posts queued updates one at a time, in order, to the webhook, with the secret header; an update
 * leaves the queue only on a 2xx answer, otherwise it is retried with backoff (Telegram retries too).
 * A JSON answer carrying `method` is executed as a Bot API call, like Telegram's webhook replies.
 */
export async function runWebhookDelivery(
  state: EmulatorState,
  generation: number,
  closing: AbortSignal,
  callMethod: (method: string, params: Record<string, unknown>) => Promise<unknown>,
): Promise<void> {
  let retryMs = FIRST_RETRY_MS;
  const active = () => !closing.aborted && state.webhook?.generation === generation;
  while (active()) {
    const webhook = state.webhook!;
    const update = state.pendingUpdates[0];
    if (!update) {
      await state.webhookSignal.wait(60_000, closing);
      continue;
    }
    let failure: string | undefined;
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(webhook.secretToken ? { 'X-Telegram-Bot-Api-Secret-Token': webhook.secretToken } : {}),
        },
        body: JSON.stringify(update),
        signal: AbortSignal.any([closing, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
      });
      const body = await response.text();
      if (response.ok) {
        state.pendingUpdates = state.pendingUpdates.filter((pending) => pending !== update);
        retryMs = FIRST_RETRY_MS;
        await executeWebhookReply(body, response.headers.get('content-type'), callMethod);
        continue;
      }
      failure = `Wrong response from the webhook: ${response.status} ${response.statusText}`;
    } catch (error) {
      if (!active()) return;
      failure = (error as Error).name === 'TimeoutError' ? 'Read timeout expired' : 'Connection refused';
    }
    if (state.webhook?.generation === generation) {
      state.webhook.lastErrorDate = nowSeconds();
      state.webhook.lastErrorMessage = failure;
    }
    await delay(retryMs, closing);
    retryMs = Math.min(retryMs * 2, LAST_RETRY_MS);
  }
}

async function executeWebhookReply(
  body: string,
  contentType: string | null,
  callMethod: (method: string, params: Record<string, unknown>) => Promise<unknown>,
): Promise<void> {
  if (!contentType?.includes('application/json') || body.trim() === '') return;
  try {
    const reply = JSON.parse(body) as { method?: unknown };
    if (typeof reply?.method !== 'string') return;
    const { method, ...params } = reply as { method: string } & Record<string, unknown>;
    await callMethod(method, params);
  } catch {
    // Telegram ignores a webhook reply it cannot run; the bot sees no error either.
  }
}
