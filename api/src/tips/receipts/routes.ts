import { createHash, timingSafeEqual } from 'node:crypto';
import type { KeyPair, Logger } from '@tinbao/shared';
import { ReceiptParamsSchema, ReceiptStatusResponseSchema } from '@tinbao/shared/api/tips';
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { type AnyRouteSpec, defineRoute } from '../../openapi/route-spec';
import type { Db } from '../../platform/db';
import { notFound, tooManyRequests } from '../../platform/errors';
import { openQuestionsForResident } from '../../questions/service';
import { findTipByReceipt } from './repository';
import { receiptStatusOf } from './status';

export interface ReceiptRoutesDeps {
  db: Db;
  /** Opens the open questions for the gateway's look-ups (shown to the resident who holds the receipt). */
  orgKeys: KeyPair;
  logger: Logger;
  /** Fast-fail Redis for the public rate limit. */
  redisFast: Redis;
  redisPrefix: string;
  /**
   * The name a client is counted under in Redis: an HMAC under a key derived from the master
   * key, so a dump of Redis holds no address (a plain hash of 2^32 IPv4 addresses is undone in
   * minutes).
   */
  clientKey: (client: string) => Promise<string>;
  /** Receipt look-ups per client IP (or per resident, for the bot) per minute. */
  receiptLimitPerMinute?: number;
  /** TINBAO_BOT_API_TOKEN: the bot presenting it is rate-limited per resident, not per IP. */
  botApiToken?: string;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();
const RESIDENT_HEADER = /^[A-Za-z0-9_-]{8,64}$/;

/** The keyed resident hash the gateway sent, when it presented the right bot token; else undefined. */
function gatewayResidentOf(
  req: Parameters<RequestHandler>[0],
  botApiToken: string | undefined,
): string | undefined {
  const token = req.get('x-tinbao-bot-token');
  const resident = req.get('x-tinbao-resident');
  // Digests have equal lengths, so the comparison takes the same time whatever was sent.
  if (botApiToken && token && resident && RESIDENT_HEADER.test(resident)) {
    if (timingSafeEqual(sha256(token), sha256(botApiToken))) return resident;
  }
  return undefined;
}

/**
 * Who a receipt look-up counts against: the resident's keyed hash (sent by the bot, whose IP
 * every resident shares) when the bot token matches, else the client IP.
 */
function receiptClientOf(req: Parameters<RequestHandler>[0], botApiToken: string | undefined): string {
  const resident = gatewayResidentOf(req, botApiToken);
  return resident ? `resident:${resident}` : `ip:${req.ip ?? 'unknown'}`;
}

/**
 * A fixed one-minute window per client IP (as an HMAC) in Redis. A resident checks a receipt a
 * few times; guessing codes needs millions. If Redis is down the look-up goes through.
 */
export function receiptRateLimit(
  redis: Redis,
  prefix: string,
  limit: number,
  logger: Logger,
  clientKey: (client: string) => Promise<string>,
  botApiToken?: string,
): RequestHandler {
  return async (req, _res, next) => {
    try {
      const key = `${prefix}:receipt-lookups:${(await clientKey(receiptClientOf(req, botApiToken))).slice(0, 32)}`;
      const result = await redis.multi().incr(key).expire(key, 60, 'NX').exec();
      const hits = Number(result?.[0]?.[1] ?? 0);
      if (hits > limit) return next(tooManyRequests());
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'receipt rate limit unavailable (redis)');
    }
    next();
  };
}

/** The one public route: a resident's receipt code → a coarse status. */
export function receiptRouteSpecs(deps: ReceiptRoutesDeps): AnyRouteSpec[] {
  return [
    defineRoute<typeof ReceiptParamsSchema, undefined, undefined, true>({
      method: 'get',
      path: '/receipts/:code',
      operationId: 'getReceiptStatus',
      summary:
        "Public, rate-limited: a coarse status for a resident's receipt code (received, in_progress, forwarded, closed)",
      tag: 'public',
      permission: 'public',
      params: ReceiptParamsSchema,
      response: ReceiptStatusResponseSchema,
      before: [
        receiptRateLimit(
          deps.redisFast,
          deps.redisPrefix,
          deps.receiptLimitPerMinute ?? 20,
          deps.logger,
          deps.clientKey,
          deps.botApiToken,
        ),
      ],
      handler: async ({ params, req }) => {
        const tip = await findTipByReceipt(deps.db, params.code);
        if (!tip) throw notFound('receipt');
        const status = receiptStatusOf(tip.status);
        // Only the gateway (bot token) is told the tip id and the open questions, to show them to
        // the resident and bind an answer; the questions are decrypted for this answer only.
        if (!gatewayResidentOf(req, deps.botApiToken)) return { ok: true, status };
        // A closed tip asks nothing more.
        const questions = status === 'closed' ? [] : await openQuestionsForResident(deps, tip.id);
        return { ok: true, status, tipId: tip.id, questions };
      },
    }),
  ];
}
