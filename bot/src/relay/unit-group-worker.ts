import {
  bullPrefix,
  JOB_NAMES,
  type Logger,
  QUEUE_NAMES,
  type UnitGroupMessageJob,
  UnitGroupMessageJobSchema,
} from '@tinbao/shared';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { type Api, GrammyError } from 'grammy';
import type { Redis } from 'ioredis';

export interface UnitGroupWorkerDeps {
  api: Api;
  /** A connection that waits for Redis (maxRetriesPerRequest: null), as BullMQ workers need. */
  connection: Redis;
  redisPrefix: string;
  logger: Logger;
}

/**
 * Tells a unit's Telegram group that a case arrived: the api's notify worker puts a fixed
 * text (no tip content) on the relay queue; only the bot holds the token to send it.
 */
export function startUnitGroupWorker(deps: UnitGroupWorkerDeps): Worker<UnitGroupMessageJob> {
  const worker = new Worker<UnitGroupMessageJob>(
    QUEUE_NAMES.relay,
    async (job: Job<UnitGroupMessageJob>) => {
      if (job.name !== JOB_NAMES.sendUnitGroupMessage) {
        throw new UnrecoverableError(`the bot does not handle ${job.name} jobs`);
      }
      const payload = UnitGroupMessageJobSchema.safeParse(job.data);
      if (!payload.success) throw new UnrecoverableError('send-unit-group-message payload is malformed');
      try {
        const sent = await deps.api.sendMessage(payload.data.chatId, payload.data.text);
        deps.logger.info({ unitId: payload.data.unitId, jobId: job.id }, 'unit group notified');
        return { messageId: sent.message_id };
      } catch (error) {
        // Telegram refusing the chat (bot not in the group, chat gone) will not heal by retrying.
        if (error instanceof GrammyError && (error.error_code === 400 || error.error_code === 403)) {
          throw new UnrecoverableError(`Telegram refused the unit group message: ${error.description}`);
        }
        throw error;
      }
    },
    { connection: deps.connection, prefix: bullPrefix(deps.redisPrefix), concurrency: 4 },
  );
  worker.on('error', (error) => deps.logger.warn({ err: error.message }, 'relay worker error'));
  worker.on('failed', (job, error) =>
    deps.logger.warn(
      { jobId: job?.id, attempts: job?.attemptsMade, err: error.message },
      'unit group message failed',
    ),
  );
  return worker;
}
