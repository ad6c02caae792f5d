import { createHash, timingSafeEqual } from 'node:crypto';
import type { Logger } from '@tinbao/shared';
import {
  DeadlineExtensionCreateSchema,
  DeadlineExtensionResponseSchema,
  ReceiptParamsSchema,
  ReceiptStatusResponseSchema,
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
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { tipTimeline } from '../audit/timeline';
import type { StaffRole } from '../auth/middleware';
import { type AnyRouteSpec, defineRoute } from '../openapi/route-spec';
import { notFound, tooManyRequests } from '../platform/errors';
import { proposeUnits } from '../routing/service';
import { receiptStatusOf } from './presenter';
import {
  addTipNote,
  countTips,
  extendDeadline,
  findStatusByReceipt,
  getTipDetail,
  getTipPhoto,
  listTipNotes,
  listTips,
  type TipsDeps,
  transitionTip,
} from './service';

/** Every staff role reaches tip routes; the service answers 404 for tips of other units. */
const STAFF: readonly StaffRole[] = ['admin', 'moderator', 'unit_officer'];

export interface TipRoutesDeps extends TipsDeps {
  /** Fast-fail Redis for the public rate limit. */
  redisFast: Redis;
  redisPrefix: string;
  /** Receipt look-ups per client IP (or per resident, for the bot) per minute. */
  receiptLimitPerMinute?: number;
  /** TINBAO_BOT_API_TOKEN: the bot presenting it is rate-limited per resident, not per IP. */
  botApiToken?: string;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();
const RESIDENT_HEADER = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * Who a receipt look-up counts against: the resident's keyed hash (sent by the bot, whose IP
 * every resident shares) when the bot token matches, else the client IP.
 */
function receiptClientOf(req: Parameters<RequestHandler>[0], botApiToken: string | undefined): string {
  const token = req.get('x-tinbao-bot-token');
  const resident = req.get('x-tinbao-resident');
  // Digests have equal lengths, so the comparison takes the same time whatever was sent.
  if (botApiToken && token && resident && RESIDENT_HEADER.test(resident)) {
    if (timingSafeEqual(sha256(token), sha256(botApiToken))) return `resident:${resident}`;
  }
  return `ip:${req.ip ?? 'unknown'}`;
}

/**
 * A fixed one-minute window per client IP (hashed) in Redis. A resident checks a receipt a
 * few times; guessing codes needs millions. If Redis is down the look-up goes through.
 */
export function receiptRateLimit(
  redis: Redis,
  prefix: string,
  limit: number,
  logger: Logger,
  botApiToken?: string,
): RequestHandler {
  return async (req, _res, next) => {
    const digest = createHash('sha256').update(receiptClientOf(req, botApiToken)).digest('hex').slice(0, 32);
    const key = `${prefix}:receipt-lookups:${digest}`;
    try {
      const result = await redis.multi().incr(key).expire(key, 60, 'NX').exec();
      const hits = Number(result?.[0]?.[1] ?? 0);
      if (hits > limit) return next(tooManyRequests());
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'receipt rate limit unavailable (redis)');
    }
    next();
  };
}

export function tipRouteSpecs(deps: TipRoutesDeps): AnyRouteSpec[] {
  const tipParams = UuidParamsSchema;
  return [
    defineRoute({
      method: 'get',
      path: '/tips/counts',
      operationId: 'countTips',
      summary: 'Tips per status and overdue, with the same scoping as the list (queue tabs)',
      tag: 'tips',
      roles: STAFF,
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
      roles: STAFF,
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
      roles: STAFF,
      tipScoped: true,
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
      roles: STAFF,
      tipScoped: true,
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
      roles: STAFF,
      tipScoped: true,
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
      roles: STAFF,
      tipScoped: true,
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
      roles: STAFF,
      tipScoped: true,
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
      roles: STAFF,
      tipScoped: true,
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
      roles: STAFF,
      tipScoped: true,
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
      roles: STAFF,
      tipScoped: true,
      params: tipParams,
      response: TimelineResponseSchema,
      handler: async ({ auth, params }) => ({
        ok: true,
        events: await tipTimeline(deps.db, auth, params.id),
      }),
    }),
    defineRoute<typeof ReceiptParamsSchema, undefined, undefined, true>({
      method: 'get',
      path: '/receipts/:code',
      operationId: 'getReceiptStatus',
      summary:
        "Public, rate-limited: a coarse status for a resident's receipt code (received, in_progress, forwarded, closed)",
      tag: 'public',
      roles: 'public',
      params: ReceiptParamsSchema,
      response: ReceiptStatusResponseSchema,
      before: [
        receiptRateLimit(
          deps.redisFast,
          deps.redisPrefix,
          deps.receiptLimitPerMinute ?? 20,
          deps.logger,
          deps.botApiToken,
        ),
      ],
      handler: async ({ params }) => {
        const status = await findStatusByReceipt(deps.db, params.code);
        if (!status) throw notFound('receipt');
        return { ok: true, status: receiptStatusOf(status) };
      },
    }),
  ];
}
