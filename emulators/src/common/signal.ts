import type { ServerResponse } from 'node:http';

/** Wakes every waiter on `notify`; waiters re-check their own condition, so spurious wake-ups are fine. */
export class Signal {
  private waiters = new Set<() => void>();

  /** Resolves on the next notify, after `timeoutMs`, or when `abort` fires, whichever is first. */
  wait(timeoutMs: number, abort?: AbortSignal): Promise<void> {
    if (timeoutMs <= 0 || abort?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        abort?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
      abort?.addEventListener('abort', done, { once: true });
    });
  }

  notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  get waiting(): number {
    return this.waiters.size;
  }
}

/**
 * An abort signal for one HTTP exchange: fires when the client goes away or the emulator closes.
 * (AbortSignal.any with the long-lived `closing` signal slows down as requests pile up on Node 20.)
 */
export function exchangeAbortSignal(response: ServerResponse, closing: AbortSignal): AbortSignal {
  const controller = new AbortController();
  const abort = () => controller.abort();
  if (closing.aborted) abort();
  else closing.addEventListener('abort', abort, { once: true });
  response.once('close', () => {
    closing.removeEventListener('abort', abort);
    // Aborting creates a DOMException: only worth it when the client left before the answer.
    if (!response.writableFinished) abort();
  });
  return controller.signal;
}

/** Waits until `ready()` is true or the deadline passes, re-checking on every signal. */
export async function waitUntil(
  signal: Signal,
  ready: () => boolean,
  timeoutMs: number,
  abort?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready() && !abort?.aborted) {
    const left = deadline - Date.now();
    if (left <= 0) return;
    await signal.wait(left, abort);
  }
}

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
