import { type StatsQuery, StatsResponseSchema } from '@tinbao/shared/api/stats';
import { apiParse, buildUrl } from '../api/client';

type StatsFilter = Partial<Record<keyof StatsQuery, string | undefined>>;

/** Statistics from clear fields; the answer parsed with its shared schema. */
export const statsApi = {
  get: (query: StatsFilter, signal?: AbortSignal) =>
    apiParse(StatsResponseSchema, '/stats', { query, ...(signal ? { signal } : {}) }),
  /** The same figures as CSV: a link the browser downloads with the session cookie. */
  exportUrl: (query: StatsFilter) => buildUrl('/stats/export.csv', query),
};
