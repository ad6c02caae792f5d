import {
  bullPrefix,
  createLogger,
  loadAdminUnits,
  loadConfigOrExit,
  QUEUE_NAMES,
  type StoreTipJob,
} from '@tinbao/shared';
import { Queue } from 'bullmq';
import { GrammyError } from 'grammy';
import { Redis } from 'ioredis';
import { BOT_COMMANDS, createBot, DEFAULT_API_ROOT } from './bot';
import { BotConfigSchema } from './config';
import { createBotRedis, waitForRedis } from './redis';
import { startUnitGroupWorker } from './relay/unit-group-worker';
import { startBotRuntime } from './runtime';
import { loadBotSecrets } from './secrets';
import { createStatusLookup } from './tips/status';

/** Composition root of the bot process: config → keys → Redis, queue → createBot → start. */
const config = loadConfigOrExit(BotConfigSchema, process.env, 'bot');
const apiRootOf = (c: typeof config) => (c.TELEGRAM_API_ROOT ?? DEFAULT_API_ROOT).replace(/\/+$/, '');
const logger = createLogger({ name: 'bot', level: config.LOG_LEVEL });

const secrets = await loadBotSecrets(config).catch((error: Error) => {
  console.error(`tinbao bot: ${error.message}`);
  process.exit(1);
});
const redis = createBotRedis(config.REDIS_URL);
while (!(await waitForRedis(redis, 10_000))) logger.warn('waiting for Redis before taking updates');
const intakeQueue = new Queue<StoreTipJob>(QUEUE_NAMES.intake, {
  connection: redis,
  prefix: bullPrefix(config.REDIS_PREFIX),
});
intakeQueue.on('error', () => {});

const bot = createBot({
  token: config.TELEGRAM_BOT_TOKEN,
  apiRoot: apiRootOf(config),
  redis,
  redisPrefix: config.REDIS_PREFIX,
  intakeQueue,
  orgPublicKey: secrets.orgPublicKey,
  relayPublicKey: secrets.relayPublicKey,
  draftKey: secrets.draftKey,
  pepper: secrets.pepper,
  units: loadAdminUnits(),
  ...(config.TINBAO_API_URL
    ? {
        statusLookup: createStatusLookup(config.TINBAO_API_URL, {
          ...(config.TINBAO_BOT_API_TOKEN ? { botToken: config.TINBAO_BOT_API_TOKEN } : {}),
        }),
      }
    : {}),
  logger,
});

// Telegram (or the emulator, started beside us by `npm start`) may not answer yet: retry getMe
// for a minute; a rejected token ends the process at once with a clear line.
for (let attempt = 1; ; attempt++) {
  try {
    await bot.init();
    break;
  } catch (error) {
    if (error instanceof GrammyError && error.error_code === 401) {
      console.error('tinbao bot: Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized)');
      process.exit(1);
    }
    if (attempt >= 30) {
      console.error(
        `tinbao bot: cannot reach the Bot API at ${apiRootOf(config)}: ${(error as Error).message}`,
      );
      process.exit(1);
    }
    logger.warn({ attempt, err: (error as Error).name }, 'Bot API not reachable yet, retrying');
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

const runtime = await startBotRuntime(bot, {
  logger,
  ...(config.TELEGRAM_WEBHOOK_URL && config.TELEGRAM_WEBHOOK_SECRET
    ? {
        webhook: {
          url: config.TELEGRAM_WEBHOOK_URL,
          secret: config.TELEGRAM_WEBHOOK_SECRET,
          port: config.BOT_WEBHOOK_PORT,
        },
      }
    : {}),
});
await bot.api
  .setMyCommands(BOT_COMMANDS)
  .catch((error: Error) => logger.warn({ err: error.name }, 'could not set the command menu'));
// Unit notifications from the api (fixed text, no tip content) go out through the bot's token.
const relayConnection = new Redis(config.REDIS_URL, {
  maxRetriesPerRequest: null,
  connectionName: 'tinbao-bot-relay',
});
relayConnection.on('error', () => {});
const unitGroupWorker = startUnitGroupWorker({
  api: bot.api,
  connection: relayConnection,
  redisPrefix: config.REDIS_PREFIX,
  logger,
});
logger.info({ mode: runtime.mode }, 'bot started');

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'bot stopping');
  await runtime.stop().catch(() => {});
  await unitGroupWorker.close().catch(() => {});
  relayConnection.disconnect();
  await intakeQueue.close().catch(() => {});
  redis.disconnect();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
