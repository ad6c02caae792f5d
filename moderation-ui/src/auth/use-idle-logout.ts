import { useEffect, useRef } from 'react';

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'scroll'] as const;
// Tabs of one browser share activity and logout through a BroadcastChannel (memory only, no storage).
const CHANNEL = 'tinbao-session';
const BROADCAST_EVERY_MS = 5_000;
const WARN_BEFORE_MS = 60_000;

type SessionMessage = { type: 'activity'; at: number } | { type: 'logout' };

/**
 * Ends the session once nobody touched any TinBao tab for `timeoutMs`: checked on a timer
 * and when the tab becomes visible again (background tabs throttle timers). `onActive` is
 * called (throttled by the caller) on activity so the server's idle timer can be refreshed;
 * `onOtherTabLogout` runs when another tab logged out.
 */
export function useIdleLogout(
  timeoutMs: number,
  handlers: {
    onIdle(): void;
    onActive(): void;
    onOtherTabLogout(): void;
    /** true a minute before the end (warn the user), false once they are active again. */
    onWarning(showing: boolean): void;
  },
): { announceLogout(): void } {
  const lastActivity = useRef(Date.now());
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;
  const channelRef = useRef<BroadcastChannel | null>(null);

  useEffect(() => {
    let fired = false;
    let warned = false;
    let lastBroadcast = 0;
    const warnAfter = Math.max(timeoutMs / 2, timeoutMs - WARN_BEFORE_MS);
    const clearWarning = () => {
      if (!warned) return;
      warned = false;
      handlersRef.current.onWarning(false);
    };
    const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null;
    channelRef.current = channel;
    const touch = () => {
      const now = Date.now();
      lastActivity.current = now;
      clearWarning();
      handlersRef.current.onActive();
      if (channel && now - lastBroadcast > BROADCAST_EVERY_MS) {
        lastBroadcast = now;
        channel.postMessage({ type: 'activity', at: now } satisfies SessionMessage);
      }
    };
    const check = () => {
      if (fired) return;
      const idle = Date.now() - lastActivity.current;
      if (idle >= timeoutMs) {
        fired = true;
        handlersRef.current.onIdle();
      } else if (idle >= warnAfter && !warned) {
        warned = true;
        handlersRef.current.onWarning(true);
      } else if (idle < warnAfter) clearWarning();
    };
    if (channel)
      channel.onmessage = (event: MessageEvent<SessionMessage>) => {
        if (event.data.type === 'activity')
          lastActivity.current = Math.max(lastActivity.current, event.data.at);
        else if (event.data.type === 'logout' && !fired) {
          fired = true;
          handlersRef.current.onOtherTabLogout();
        }
      };
    for (const name of ACTIVITY_EVENTS)
      window.addEventListener(name, touch, { passive: true, capture: true });
    document.addEventListener('visibilitychange', check);
    const timer = window.setInterval(check, Math.min(5_000, Math.max(1000, timeoutMs / 8)));
    return () => {
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, touch, { capture: true });
      document.removeEventListener('visibilitychange', check);
      window.clearInterval(timer);
      channel?.close();
      channelRef.current = null;
    };
  }, [timeoutMs]);

  return {
    announceLogout: () => channelRef.current?.postMessage({ type: 'logout' } satisfies SessionMessage),
  };
}
