import { type Signal, waitUntil } from './signal';

/** What a getUpdates long poll watches in an emulator's state. */
export interface PollState {
  /** The getUpdates call now waiting; a newer one ends it. */
  activePoll: AbortController | undefined;
  /** Notified when an update is queued or a webhook is set. */
  readonly updatesSignal: Signal;
  readonly pendingUpdates: readonly unknown[];
  readonly webhook: unknown;
}

/**
 * getUpdates' wait, the same on both platforms: up to `timeoutMs` until an update is queued or a
 * webhook is set, as the only poller. A newer call ends this one early (`terminated`, which the
 * platform answers with 409), and so does the client leaving (`abort`).
 */
export async function waitForUpdates(
  state: PollState,
  timeoutMs: number,
  abort: AbortSignal,
): Promise<{ terminated: boolean }> {
  state.activePoll?.abort();
  const terminated = new AbortController();
  state.activePoll = terminated;
  // One signal for "client gone" and "a newer poller came"; only the latter is answered (409).
  const stop = new AbortController();
  const stopWaiting = () => stop.abort();
  abort.addEventListener('abort', stopWaiting, { once: true });
  terminated.signal.addEventListener('abort', stopWaiting, { once: true });
  try {
    await waitUntil(
      state.updatesSignal,
      () => state.pendingUpdates.length > 0 || state.webhook !== undefined,
      timeoutMs,
      stop.signal,
    );
  } finally {
    abort.removeEventListener('abort', stopWaiting);
    if (state.activePoll === terminated) state.activePoll = undefined;
  }
  return { terminated: terminated.signal.aborted };
}
