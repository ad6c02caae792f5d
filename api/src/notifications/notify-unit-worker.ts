import { createHash } from 'node:crypto';
import {
  DEFAULT_JOB_OPTIONS,
  JOB_NAMES,
  type Logger,
  type NotifyUnitJob,
  NotifyUnitJobSchema,
  type RelayJob,
} from '@tinbao/shared';
import type { NotificationTarget } from '@tinbao/shared/notifications/targets';
import { type Job, type Queue, UnrecoverableError } from 'bullmq';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../platform/db';
import { tipRoutes, unitNotificationTargets } from '../platform/schema';

/** The only thing a unit's group is told: a case arrived. No category, place or receipt code. */
export const UNIT_NOTICE_TEXT = 'Có tin báo mới được chuyển đến đơn vị. Vui lòng đăng nhập TinBao để xem.';

export interface NotifyUnitDeps {
  db: Db;
  relayQueue: Pick<Queue<RelayJob>, 'addBulk'>;
  logger: Logger;
}

export type NotifyUnitResult = { delivered: 'log' } | { delivered: 'relay'; targets: number };

/**
 * The relay job id of one notice: the same tip, unit and target give the same id, so a retried
 * notify-unit sends one message, not two. The address is hashed: job ids reach logs, chat ids must not.
 */
export function unitNoticeJobId(tipId: string, unitId: string, target: NotificationTarget): string {
  const digest = createHash('sha256').update(`${target.channel}\0${target.address}`).digest('hex');
  return `unit-notice_${tipId}_${unitId}_${target.channel}-${digest.slice(0, 16)}`;
}

/**
 * notify-unit: tells a unit that a case was routed to it. For each of the unit's notification
 * targets it hands a fixed message to the bot (relay queue); with none (development) it logs the ids.
 */
export function createNotifyUnitProcessor(deps: NotifyUnitDeps) {
  return async (job: Job<NotifyUnitJob>): Promise<NotifyUnitResult> => {
    const payload = NotifyUnitJobSchema.safeParse(job.data);
    if (!payload.success) throw new UnrecoverableError('notify-unit job payload is not { tipId, unitId }');
    const { tipId, unitId } = payload.data;
    const [route] = await deps.db
      .select({ unitId: tipRoutes.unitId })
      .from(tipRoutes)
      .where(and(eq(tipRoutes.tipId, tipId), eq(tipRoutes.unitId, unitId)));
    if (!route) throw new UnrecoverableError(`tip ${tipId} is not routed to unit ${unitId}`);
    const targets: NotificationTarget[] = await deps.db
      .select({ channel: unitNotificationTargets.channel, address: unitNotificationTargets.address })
      .from(unitNotificationTargets)
      .where(eq(unitNotificationTargets.unitId, unitId))
      .orderBy(asc(unitNotificationTargets.createdAt), asc(unitNotificationTargets.id));
    if (targets.length === 0) {
      deps.logger.info({ unitId, tipId }, 'case routed to unit (no notification target configured)');
      return { delivered: 'log' };
    }
    // One atomic add: a crash leaves all of the unit's notices queued or none.
    await deps.relayQueue.addBulk(
      targets.map((target) => ({
        name: JOB_NAMES.relayMessage,
        data: { kind: 'unit-notification', unitId, target, text: UNIT_NOTICE_TEXT },
        opts: { ...DEFAULT_JOB_OPTIONS, jobId: unitNoticeJobId(tipId, unitId, target) },
      })),
    );
    deps.logger.info({ unitId, tipId, targets: targets.length }, 'unit notices handed to the bot');
    return { delivered: 'relay', targets: targets.length };
  };
}
