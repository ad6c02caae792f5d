import { delay, type Signal } from './signal';

const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 5000;
const REQUEST_TIMEOUT_MS = 60_000;

export interface WebhookTarget {
  url: string;
  secretToken?: string;
  /** Changes on every set/delete so an old delivery loop knows to stop. */
  generation: number;
}

/** Where the delivery loop finds its work: the emulator's queue of updates and its current webhook. */
export interface WebhookQueue<Update> {
  webhook(): WebhookTarget | undefined;
  /** The oldest undelivered update. */
  peek(): Update | undefined;
  remove(update: Update): void;
  /** Notified when an update is queued or the webhook changes. */
  signal: Signal;
}

export interface WebhookDelivery<Update> {
  queue: WebhookQueue<Update>;
  /** The generation of the webhook this loop serves; the loop ends once it is replaced or deleted. */
  generation: number;
  closing: AbortSignal;
  /** The header carrying the secret token: `X-Telegram-Bot-Api-Secret-Token`, `X-Bot-Api-Secret-Token`. */
  secretHeader: string;
  /** The JSON body posted for an update (the update itself when omitted). */
  body?: (update: Update) => unknown;
  /** Runs after a 2xx answer, with the answer (Telegram executes a `method` in it). */
  onDelivered?: (answer: { body: string; contentType: string | null }) => Promise<void>;
  /** Each failed attempt, e.g. to show in getWebhookInfo. */
  onFailure?: (message: string) => void;
}

/**
 * Posts queued updates one at a time, in order (so in order per chat too), to the webhook, with the
 * secret header; an update leaves the queue only on a 2xx answer, otherwise it is retried with
 * backoff, as both platforms retry.
 */
export async function runWebhookDelivery<Update>(delivery: WebhookDelivery<Update>): Promise<void> {
  const { queue, generation, closing } = delivery;
  let retryMs = FIRST_RETRY_MS;
  const current = () => {
    const webhook = queue.webhook();
    return !closing.aborted && webhook?.generation === generation ? webhook : undefined;
  };
  for (let webhook = current(); webhook; webhook = current()) {
    const update = queue.peek();
    if (update === undefined) {
      await queue.signal.wait(60_000, closing);
      continue;
    }
    let failure: string;
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(webhook.secretToken ? { [delivery.secretHeader]: webhook.secretToken } : {}),
        },
        body: JSON.stringify(delivery.body ? delivery.body(update) : update),
        signal: AbortSignal.any([closing, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
      });
      const body = await response.text();
      if (response.ok) {
        queue.remove(update);
        retryMs = FIRST_RETRY_MS;
        await delivery.onDelivered?.({ body, contentType: response.headers.get('content-type') });
        continue;
      }
      failure = `Wrong response from the webhook: ${response.status} ${response.statusText}`;
    } catch (error) {
      if (!current()) return;
      failure = (error as Error).name === 'TimeoutError' ? 'Read timeout expired' : 'Connection refused';
    }
    if (current()) delivery.onFailure?.(failure);
    await delay(retryMs, closing);
    retryMs = Math.min(retryMs * 2, LAST_RETRY_MS);
  }
}

/** What `startWebhookDelivery` needs of an emulator's state. */
export interface WebhookState<Update> {
  webhook: (WebhookTarget & { lastErrorDate?: number; lastErrorMessage?: string }) | undefined;
  webhookGeneration: number;
  pendingUpdates: Update[];
  /** Notified when an update is queued or the webhook changes. */
  webhookSignal: Signal;
}

/**
 * Starts the delivery loop for the webhook just set (it ends once that webhook is replaced or
 * deleted); a failed attempt is kept on the webhook for getWebhookInfo, dated by `now`
 * (the platform's clock: seconds on Telegram, milliseconds on Zalo).
 */
export function startWebhookDelivery<Update>(
  state: WebhookState<Update>,
  options: Pick<WebhookDelivery<Update>, 'closing' | 'secretHeader' | 'body' | 'onDelivered'> & {
    now: () => number;
  },
): void {
  const generation = state.webhookGeneration;
  const { now, ...delivery } = options;
  void runWebhookDelivery({
    ...delivery,
    queue: {
      webhook: () => state.webhook,
      peek: () => state.pendingUpdates[0],
      remove: (update) => {
        state.pendingUpdates = state.pendingUpdates.filter((pending) => pending !== update);
      },
      signal: state.webhookSignal,
    },
    generation,
    onFailure: (message) => {
      if (state.webhook?.generation !== generation) return;
      state.webhook.lastErrorDate = now();
      state.webhook.lastErrorMessage = message;
    },
  });
}
