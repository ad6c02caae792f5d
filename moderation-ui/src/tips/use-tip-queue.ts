import type { TipListQueryInput, TipSummary } from '@tinbao/shared/api/tips';
import { useCallback, useEffect, useRef, useState } from 'react';
import { tipsApi } from './tips-api';

export interface QueueState {
  items: TipSummary[];
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
  hasMore: boolean;
  loadMore(): void;
  reload(): void;
}

/** One page at a time over the keyset cursor: cheap on the server however long the queue. */
export function useTipQueue(query: TipListQueryInput): QueueState {
  const [items, setItems] = useState<TipSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(query);
  const generation = useRef(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the query
  useEffect(() => {
    const controller = new AbortController();
    const current = ++generation.current;
    setLoading(true);
    setError(undefined);
    tipsApi.list(JSON.parse(key) as TipListQueryInput, controller.signal).then(
      (page) => {
        if (current !== generation.current) return;
        setItems(page.items);
        setCursor(page.nextCursor);
        setLoading(false);
      },
      (failure: unknown) => {
        if (controller.signal.aborted || current !== generation.current) return;
        setError(failure);
        setItems([]);
        setCursor(null);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [key, tick]);

  const loadMore = useCallback(() => {
    if (!cursor || loadingMore) return;
    const current = generation.current;
    setLoadingMore(true);
    tipsApi.list({ ...(JSON.parse(key) as TipListQueryInput), cursor }).then(
      (page) => {
        if (current !== generation.current) return;
        setItems((existing) => [...existing, ...page.items]);
        setCursor(page.nextCursor);
        setLoadingMore(false);
      },
      (failure: unknown) => {
        if (current !== generation.current) return;
        setError(failure);
        setLoadingMore(false);
      },
    );
  }, [cursor, key, loadingMore]);

  const reload = useCallback(() => setTick((value) => value + 1), []);
  return { items, loading, loadingMore, error, hasMore: cursor !== null, loadMore, reload };
}
