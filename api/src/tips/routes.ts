import {
  DeadlineExtensionCreateSchema,
  DeadlineExtensionResponseSchema,
  RoutingProposalsResponseSchema,
  TimelineResponseSchema,
  TipCountsQuerySchema,
  TipCountsResponseSchema,
  TipDetailResponseSchema,
  TipListQuerySchema,
  TipListResponseSchema,
  TipNoteCreatedResponseSchema,
  TipNoteCreateSchema,
  TipNoteListResponseSchema,
  TipPhotoParamsSchema,
  TipTransitionRequestSchema,
  TipTransitionResponseSchema,
  UuidParamsSchema,
} from '@tinbao/shared/api/tips';
import { tipTimeline } from '../audit/timeline';
import { type AnyRouteSpec, defineRoute } from '../openapi/route-spec';
import { proposeUnits } from '../routing/service';
import { extendDeadline } from './deadlines/service';
import type { TipsDeps } from './deps';
import { getTipDetail, getTipPhoto } from './detail/service';
import { addTipNote, listTipNotes } from './notes/service';
import { countTips, listTips } from './queue/service';
import { type ReceiptRoutesDeps, receiptRouteSpecs } from './receipts/routes';
import { transitionTip } from './workflow/service';

export type TipRoutesDeps = TipsDeps & ReceiptRoutesDeps;

/** The tips feature's operations: queue, detail, workflow, notes, deadlines, routing proposals, timeline, receipts. */
export function tipRouteSpecs(deps: TipRoutesDeps): AnyRouteSpec[] {
  const tipParams = UuidParamsSchema;
  return [
    defineRoute({
      method: 'get',
      path: '/tips/counts',
      operationId: 'countTips',
      summary: 'Tips per status and overdue, with the same scoping as the list (queue tabs)',
      tag: 'tips',
      permission: 'tips.read',
      query: TipCountsQuerySchema,
      response: TipCountsResponseSchema,
      handler: ({ auth, query }) => countTips(deps, auth, query),
    }),
    defineRoute({
      method: 'get',
      path: '/tips',
      operationId: 'listTips',
      summary:
        'The queue: filters, sort by priority/deadline/received, keyset pagination (clear fields only)',
      tag: 'tips',
      permission: 'tips.read',
      query: TipListQuerySchema,
      response: TipListResponseSchema,
      handler: ({ auth, query }) => listTips(deps, auth, query),
    }),
    defineRoute({
      method: 'get',
      path: '/tips/:id',
      operationId: 'getTip',
      summary: 'A tip decrypted for this user (audited as tip.decrypted), with allowed actions',
      tag: 'tips',
      permission: 'tips.read',
      params: tipParams,
      response: TipDetailResponseSchema,
      handler: ({ auth, params }) => getTipDetail(deps, auth, params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/tips/:id/photos/:index',
      operationId: 'getTipPhoto',
      summary: 'One photo of a tip, decrypted (audited as tip.photo_decrypted); never cached',
      tag: 'tips',
      permission: 'tips.read',
      params: TipPhotoParamsSchema,
      response: { contentType: 'image/jpeg', description: 'the photo, re-encoded by the bot (no EXIF)' },
      handler: async ({ auth, params, res }) => {
        const photo = await getTipPhoto(deps, auth, params.id, params.index);
        res
          .status(200)
          .set({
            'Content-Type': photo.mimeType,
            'Cache-Control': 'no-store',
            'Content-Disposition': 'inline',
            'Content-Length': String(photo.data.length),
          })
          .end(photo.data);
        return undefined;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/tips/:id/transitions',
      operationId: 'transitionTip',
      summary:
        'A workflow action (start_review, validate, reject, mark_duplicate, route, acknowledge, report_outcome, close); 409 with the allowed actions when illegal or stale',
      tag: 'tips',
      permission: 'tips.transition',
      params: tipParams,
      body: TipTransitionRequestSchema,
      response: TipTransitionResponseSchema,
      handler: ({ auth, params, body }) => transitionTip(deps, auth, params.id, body),
    }),
    defineRoute({
      method: 'get',
      path: '/tips/:id/notes',
      operationId: 'listTipNotes',
      summary: 'Staff notes on a tip, decrypted (audited as tip.notes_decrypted)',
      tag: 'tips',
      permission: 'tips.read',
      params: tipParams,
      response: TipNoteListResponseSchema,
      handler: async ({ auth, params }) => ({ ok: true, notes: await listTipNotes(deps, auth, params.id) }),
    }),
    defineRoute({
      method: 'post',
      path: '/tips/:id/notes',
      operationId: 'addTipNote',
      summary: 'Adds a note (sealed to the organisation key)',
      tag: 'tips',
      permission: 'tips.add_note',
      params: tipParams,
      body: TipNoteCreateSchema,
      successStatus: 201,
      response: TipNoteCreatedResponseSchema,
      handler: async ({ auth, params, body }) => ({
        ok: true,
        note: await addTipNote(deps, auth, params.id, body.body),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/tips/:id/deadline-extensions',
      operationId: 'extendTipDeadline',
      summary:
        'Extends the 20-day settlement deadline by some days, with a reason (kept as history, audited)',
      tag: 'tips',
      permission: 'tips.extend_deadline',
      params: tipParams,
      body: DeadlineExtensionCreateSchema,
      successStatus: 201,
      response: DeadlineExtensionResponseSchema,
      handler: async ({ auth, params, body }) => ({
        ok: true,
        ...(await extendDeadline(deps, auth, params.id, body)),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/tips/:id/routing-proposals',
      operationId: 'proposeUnits',
      summary:
        'Units routing proposes for the tip (commune coverage and rules); the moderator confirms with route',
      tag: 'tips',
      permission: 'tips.route',
      params: tipParams,
      response: RoutingProposalsResponseSchema,
      handler: async ({ auth, params }) => ({ ok: true, ...(await proposeUnits(deps.db, auth, params.id)) }),
    }),
    defineRoute({
      method: 'get',
      path: '/tips/:id/timeline',
      operationId: 'getTipTimeline',
      summary: "The tip's audit events in order",
      tag: 'tips',
      permission: 'tips.read',
      params: tipParams,
      response: TimelineResponseSchema,
      handler: async ({ auth, params }) => ({
        ok: true,
        events: await tipTimeline(deps.db, auth, params.id),
      }),
    }),
    ...receiptRouteSpecs(deps),
  ];
}
