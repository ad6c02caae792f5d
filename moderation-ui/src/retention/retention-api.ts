import {
  LegalHoldListResponseSchema,
  RetentionPreviewResponseSchema,
  TipRetentionResponseSchema,
} from '@tinbao/shared/api/retention';
import { apiParse } from '../api/client';

const holdPath = (tipId: string) => `/tips/${encodeURIComponent(tipId)}/legal-hold`;
const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});

/** The retention endpoints (admins); every answer parsed with its shared schema. */
export const retentionApi = {
  preview: (limit: number, signal?: AbortSignal) =>
    apiParse(RetentionPreviewResponseSchema, '/retention/preview', {
      query: { limit },
      ...withSignal(signal),
    }),
  holds: (signal?: AbortSignal) =>
    apiParse(LegalHoldListResponseSchema, '/retention/holds', withSignal(signal)),
  ofTip: (tipId: string, signal?: AbortSignal) =>
    apiParse(TipRetentionResponseSchema, `/tips/${encodeURIComponent(tipId)}/retention`, withSignal(signal)),
  hold: (tipId: string, reason: string) =>
    apiParse(TipRetentionResponseSchema, holdPath(tipId), { method: 'PUT', body: { reason } }),
  release: (tipId: string) => apiParse(TipRetentionResponseSchema, holdPath(tipId), { method: 'DELETE' }),
};
