import { type StatsQuery, StatsResponseSchema } from '@tinbao/shared/api/stats';
import { apiParse } from '../api/client';

/** Statistics from clear fields; the answer parsed with its shared schema. */
export const statsApi = {
  get: (query: Partial<Record<keyof StatsQuery, string | undefined>>, signal?: AbortSignal) =>
    apiParse(StatsResponseSchema, '/stats', { query, ...(signal ? { signal } : {}) }),
};
