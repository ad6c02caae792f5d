import { useEffect, useState } from 'react';

/** The value once it has stopped changing for `ms`: a search asks the API when the typing pauses. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** How long a search field waits after the last key before it asks the API. */
export const SEARCH_DEBOUNCE_MS = 200;
