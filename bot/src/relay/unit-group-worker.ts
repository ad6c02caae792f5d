import type { Logger } from '@tinbao/shared';
import type { Api } from 'grammy';
import type { Redis } from 'ioredis';
import { startRelayWorker } from './relay-worker';
import { telegramSender } from './telegram-sender';

/**
 * @deprecated The old entry point, kept only until main.ts calls `startRelayWorker` with
 * `senders: { telegram: telegramSender(api) }`; delete this file then.
 */
export function startUnitGroupWorker(deps: {
  api: Api;
  connection: Redis;
  redisPrefix: string;
  logger: Logger;
}) {
  return startRelayWorker({
    connection: deps.connection,
    redisPrefix: deps.redisPrefix,
    senders: { telegram: telegramSender(deps.api) },
    logger: deps.logger,
  });
}
