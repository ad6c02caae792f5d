import {
  LegalHoldCreateSchema,
  LegalHoldListResponseSchema,
  RetentionPreviewQuerySchema,
  RetentionPreviewResponseSchema,
  TipRetentionResponseSchema,
} from '@tinbao/shared/api/retention';
import { UuidParamsSchema } from '@tinbao/shared/api/tips';
import { type AnyRouteSpec, defineRoute } from '../openapi/route-spec';
import {
  listLegalHolds,
  placeLegalHold,
  type RetentionDeps,
  releaseLegalHold,
  retentionPreview,
  tipRetention,
} from './service';

/** The retention feature's operations: the purge preview, legal holds. Admins only. */
export function retentionRouteSpecs(deps: RetentionDeps): AnyRouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/retention/preview',
      operationId: 'getRetentionPreview',
      summary:
        'What the next purge deletes (counts per reason: closed, rejected, duplicate), tips held, and the next tips with their purge date',
      tag: 'retention',
      permission: 'retention.read',
      query: RetentionPreviewQuerySchema,
      response: RetentionPreviewResponseSchema,
      handler: ({ query }) => retentionPreview(deps, query.limit),
    }),
    defineRoute({
      method: 'get',
      path: '/retention/holds',
      operationId: 'listLegalHolds',
      summary: 'Tips under a legal hold (never purged while it lasts), the longest held first',
      tag: 'retention',
      permission: 'retention.read',
      response: LegalHoldListResponseSchema,
      handler: async () => ({ ok: true, holds: await listLegalHolds(deps) }),
    }),
    defineRoute({
      method: 'get',
      path: '/tips/:id/retention',
      operationId: 'getTipRetention',
      summary: "A tip's retention state: when it closed, when it is purged, whether it was, its legal hold",
      tag: 'retention',
      permission: 'retention.read',
      params: UuidParamsSchema,
      response: TipRetentionResponseSchema,
      handler: ({ auth, params }) => tipRetention(deps, auth, params.id),
    }),
    defineRoute({
      method: 'put',
      path: '/tips/:id/legal-hold',
      operationId: 'placeLegalHold',
      summary:
        'Places a legal hold with a reason (audited as tip.legal_hold_placed); 409 legal_hold_exists, 410 tip_purged',
      tag: 'retention',
      permission: 'retention.manage',
      params: UuidParamsSchema,
      body: LegalHoldCreateSchema,
      response: TipRetentionResponseSchema,
      handler: ({ auth, params, body }) => placeLegalHold(deps, auth, params.id, body.reason),
    }),
    defineRoute({
      method: 'delete',
      path: '/tips/:id/legal-hold',
      operationId: 'releaseLegalHold',
      summary: 'Releases the legal hold (audited as tip.legal_hold_released); 409 no_legal_hold',
      tag: 'retention',
      permission: 'retention.manage',
      params: UuidParamsSchema,
      response: TipRetentionResponseSchema,
      handler: ({ auth, params }) => releaseLegalHold(deps, auth, params.id),
    }),
  ];
}
