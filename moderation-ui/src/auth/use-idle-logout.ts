import { useEffect, useRef } from 'react';

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'scroll'] as const;

/**
 * Calls `onIdle` once nobody touched the page for `timeoutMs`. Checked on a timer and when
 * the tab becomes visible again, because background tabs throttle timers.
 */
export function useIdleLogout(timeoutMs: number, onIdle: () => void): void {
  const lastActivity = useRef(Date.now());
  const onIdleRef = useRef(onIdle);
  onIdleRef.current = onIdle;

  useEffect(() => {
    let fired = false;
    const touch = () => {
      lastActivity.current = Date.now();
    };
    const check = () => {
      if (!fired && Date.now() - lastActivity.current >= timeoutMs) {
        fired = true;
        onIdleRef.current();
      }
    };
    for (const name of ACTIVITY_EVENTS)
      window.addEventListener(name, touch, { passive: true, capture: true });
    document.addEventListener('visibilitychange', check);
    const timer = window.setInterval(check, Math.min(15_000, Math.max(1000, timeoutMs / 4)));
    return () => {
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, touch, { capture: true });
      document.removeEventListener('visibilitychange', check);
      window.clearInterval(timer);
    };
  }, [timeoutMs]);
}
