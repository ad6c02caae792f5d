import { DEFAULT_JOB_OPTIONS, JOB_NAMES, type Logger, type NotifyUnitJob } from '@tinbao/shared';
import type { Queue } from 'bullmq';
import type { EventHandler } from '../events/bus';

/** On `tip.routed`: one notify-unit job per newly routed unit (its worker tells the unit's targets). */
export function notifyRoutedUnits(
  notifyQueue: Pick<Queue<NotifyUnitJob>, 'add'>,
  logger: Logger,
): EventHandler<'tip.routed'> {
  return async ({ tipId, unitIds }) => {
    for (const unitId of unitIds) {
      try {
        await notifyQueue.add(
          JOB_NAMES.notifyUnit,
          { tipId, unitId },
          // BullMQ job ids may not contain ':'; one notification per tip and unit.
          { ...DEFAULT_JOB_OPTIONS, jobId: `${tipId}_${unitId}` },
        );
      } catch (error) {
        // The route is committed; the unit still sees the case in its inbox.
        logger.error({ tipId, unitId, err: (error as Error).message }, 'notify-unit job not added');
      }
    }
  };
}
