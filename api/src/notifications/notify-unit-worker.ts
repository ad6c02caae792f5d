import {
  DEFAULT_JOB_OPTIONS,
  JOB_NAMES,
  type Logger,
  type NotifyUnitJob,
  NotifyUnitJobSchema,
  type UnitGroupMessageJob,
} from '@tinbao/shared';
import { type Job, type Queue, UnrecoverableError } from 'bullmq';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../platform/db';
import { tipRoutes, units } from '../platform/schema';

/** The only thing a unit's group is told: a case arrived. No category, place or receipt code. */
export const UNIT_NOTICE_TEXT = 'Có tin báo mới được chuyển đến đơn vị. Vui lòng đăng nhập TinBao để xem.';

export interface NotifyUnitDeps {
  db: Db;
  relayQueue: Pick<Queue<UnitGroupMessageJob>, 'add'>;
  logger: Logger;
}

export type NotifyUnitResult = { delivered: 'telegram' | 'log' };

/**
 * notify-unit: tells a unit that a case was routed to it. With a Telegram group configured it
 * hands a fixed message to the bot (relay queue); otherwise (development) it logs the ids.
 */
export function createNotifyUnitProcessor(deps: NotifyUnitDeps) {
  return async (job: Job<NotifyUnitJob>): Promise<NotifyUnitResult> => {
    const payload = NotifyUnitJobSchema.safeParse(job.data);
    if (!payload.success) throw new UnrecoverableError('notify-unit job payload is not { tipId, unitId }');
    const { tipId, unitId } = payload.data;
    const [row] = await deps.db
      .select({ telegramGroupId: units.telegramGroupId })
      .from(tipRoutes)
      .innerJoin(units, eq(units.id, tipRoutes.unitId))
      .where(and(eq(tipRoutes.tipId, tipId), eq(tipRoutes.unitId, unitId)));
    if (!row) throw new UnrecoverableError(`tip ${tipId} is not routed to unit ${unitId}`);
    if (!row.telegramGroupId) {
      deps.logger.info({ unitId, tipId }, 'case routed to unit (no Telegram group configured)');
      return { delivered: 'log' };
    }
    await deps.relayQueue.add(
      JOB_NAMES.sendUnitGroupMessage,
      { unitId, chatId: row.telegramGroupId, text: UNIT_NOTICE_TEXT },
      // Same id as the notify job: a retried notify-unit sends one message, not two.
      { ...DEFAULT_JOB_OPTIONS, jobId: `unit-notice_${tipId}_${unitId}` },
    );
    deps.logger.info({ unitId, tipId }, 'unit notice handed to the bot');
    return { delivered: 'telegram' };
  };
}
