import {
  type NotificationTarget,
  type UnitCreateSchema,
  type UnitListQuery,
  UnitListResponseSchema,
  UnitResponseSchema,
} from '@tinbao/shared/api/units';
import type { z } from 'zod';
import { apiParse } from '../api/client';

/** What the units list is asked for, as query text (the API's UnitListQuery coerces it). */
export type UnitListFilter = Partial<Record<keyof UnitListQuery, string | number | undefined>>;
export type UnitInput = z.input<typeof UnitCreateSchema>;

const unitPath = (id: string, rest = '') => `/units/${encodeURIComponent(id)}${rest}`;

/** Police units and the communes they cover; every answer parsed with its shared schema. */
export const unitsApi = {
  list: (query: UnitListFilter, signal?: AbortSignal) =>
    apiParse(UnitListResponseSchema, '/units', { query, ...(signal ? { signal } : {}) }),
  get: (id: string, signal?: AbortSignal) =>
    apiParse(UnitResponseSchema, unitPath(id), signal ? { signal } : {}),
  create: (request: UnitInput) => apiParse(UnitResponseSchema, '/units', { method: 'POST', body: request }),
  setNotificationTargets: (id: string, notificationTargets: NotificationTarget[]) =>
    apiParse(UnitResponseSchema, unitPath(id), { method: 'PATCH', body: { notificationTargets } }),
  setCommunes: (id: string, communeCodes: string[]) =>
    apiParse(UnitResponseSchema, unitPath(id, '/communes'), { method: 'PUT', body: { communeCodes } }),
};
