import type {
  DeadlineExtension,
  RoutingProposal,
  TimelineEvent,
  TipAction,
  TipCountsResponse,
  TipDetailResponse,
  TipListQueryInput,
  TipListResponse,
  TipNote,
  TipSummary,
  TipTransitionRequest,
  TipTransitionResponse,
} from '@tinbao/shared/api/tips';
import { api } from '../api/client';

/** The tips workflow endpoints, typed with the shared schemas. */
export const tipsApi = {
  list: (query: TipListQueryInput, signal?: AbortSignal) =>
    api<TipListResponse>('/tips', { query: query as Record<string, string>, ...(signal ? { signal } : {}) }),
  counts: (query: { provinceCode?: string; communeCode?: string; unitId?: string }, signal?: AbortSignal) =>
    api<TipCountsResponse>('/tips/counts', { query, ...(signal ? { signal } : {}) }),
  detail: (id: string, signal?: AbortSignal) =>
    api<TipDetailResponse>(`/tips/${encodeURIComponent(id)}`, signal ? { signal } : {}),
  timeline: (id: string, signal?: AbortSignal) =>
    api<{ ok: true; events: TimelineEvent[] }>(
      `/tips/${encodeURIComponent(id)}/timeline`,
      signal ? { signal } : {},
    ),
  notes: (id: string, signal?: AbortSignal) =>
    api<{ ok: true; notes: TipNote[] }>(`/tips/${encodeURIComponent(id)}/notes`, signal ? { signal } : {}),
  addNote: (id: string, body: string) =>
    api<{ ok: true; note: TipNote }>(`/tips/${encodeURIComponent(id)}/notes`, {
      method: 'POST',
      body: { body },
    }),
  transition: (id: string, request: TipTransitionRequest) =>
    api<TipTransitionResponse>(`/tips/${encodeURIComponent(id)}/transitions`, {
      method: 'POST',
      body: request,
    }),
  proposals: (id: string, signal?: AbortSignal) =>
    api<{ ok: true; borderArea: boolean; proposals: RoutingProposal[] }>(
      `/tips/${encodeURIComponent(id)}/routing-proposals`,
      signal ? { signal } : {},
    ),
  extendDeadline: (id: string, days: number, reason: string, version?: number) =>
    api<DeadlineExtensionResponse>(`/tips/${encodeURIComponent(id)}/deadline-extensions`, {
      method: 'POST',
      body: { days, reason, ...(version !== undefined ? { version } : {}) },
    }),
};

export type { TipAction };
export interface DeadlineExtensionResponse {
  ok: true;
  tip: TipSummary;
  extension: DeadlineExtension;
}
