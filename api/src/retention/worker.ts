import {
  JOB_NAMES,
  type Logger,
  PURGE_SCHEDULE,
  type PurgeTipsJob,
  PurgeTipsJobSchema,
} from '@tinbao/shared';
import { type Job, type Queue, UnrecoverableError } from 'bullmq';
import { type PurgeDeps, purgeDueTips } from './purge';

/** The job scheduler's id: one daily purge per deployment, however many worker processes upsert it. */
export const DAILY_PURGE_SCHEDULER_ID = 'daily-purge';

export const DAILY_PURGE_PATTERN = `${PURGE_SCHEDULE.minute} ${PURGE_SCHEDULE.hour} * * *`;

/**
 * Registers the daily purge (BullMQ job scheduler, cron in Vietnam's time zone). Every api
 * worker process calls it at start; the upsert keeps one schedule.
 */
export async function scheduleDailyPurge(queue: Pick<Queue<PurgeTipsJob>, 'upsertJobScheduler'>) {
  await queue.upsertJobScheduler(
    DAILY_PURGE_SCHEDULER_ID,
    { pattern: DAILY_PURGE_PATTERN, tz: PURGE_SCHEDULE.timeZone },
    {
      name: JOB_NAMES.purgeTips,
      data: {},
      // A failed run resumes where it stopped: a few retries, and tomorrow's run in any case.
      opts: {
        attempts: 5,
        backoff: { type: 'exponential', delay: 60_000 },
        removeOnComplete: { count: 30 },
        removeOnFail: { count: 30 },
      },
    },
  );
}

export interface PurgeTipsResult {
  purged: number;
  due: number;
  batches: number;
}

/** purge-tips: purges whatever is due now; its progress is the job's ({ purged, total }). */
export function createPurgeTipsProcessor(deps: PurgeDeps & { logger: Logger; batchSize?: number }) {
  return async (job: Job<PurgeTipsJob>): Promise<PurgeTipsResult> => {
    if (!PurgeTipsJobSchema.safeParse(job.data).success)
      throw new UnrecoverableError('purge-tips job payload must be {}');
    // Progress updates in order, and all written before the job completes.
    let updates = Promise.resolve();
    const result = await purgeDueTips(deps, {
      by: 'scheduler',
      ...(deps.batchSize ? { batchSize: deps.batchSize } : {}),
      onProgress: (progress) => {
        updates = updates.then(() => job.updateProgress({ ...progress })).catch(() => {});
      },
    });
    await updates;
    deps.logger.info(
      { runId: result.runId, purged: result.purged, due: result.due.total, batches: result.batches },
      'retention purge finished',
    );
    return { purged: result.purged, due: result.due.total, batches: result.batches };
  };
}
