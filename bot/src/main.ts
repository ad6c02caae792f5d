import {
  bullPrefix,
  createLogger,
  loadConfigOrExit,
  loadPlaces,
  QUEUE_NAMES,
  type StoreTipJob,
} from '@tinbao/shared';
import { Queue } from 'bullmq';
import { GrammyError } from 'grammy';
import { Redis } from 'ioredis';
import type { ChannelAdapter } from './channels/port';
import { createTelegramAdapter, type TelegramAdapter } from './channels/telegram/adapter';
import { createWebAdapter } from './channels/web/adapter';
import { createZaloAdapter } from './channels/zalo/adapter';
import { ZaloApiError } from './channels/zalo/client';
import { BOT_FILE_VARIABLES, BotConfigSchema, botKeysDirOf } from './config';
import { createPlaceFinder } from './conversation/places';
import { assertVolatileRedis } from './drafts/volatile-redis';
import { createGateway, startChannels } from './gateway';
import { createBotRedis, waitForRedis } from './redis';
import { startRelayWorker } from './relay/relay-worker';
import { telegramSender } from './relay/telegram-sender';
import { loadBotSecrets } from './secrets';
import { createReporterPepperFile } from './submission/reporter-pepper';
import { createStatusLookup } from './submission/status';

/**
 * Composition root of the intake gateway: config → keys → Redis, queue → the conversation
 * engine → one adapter per configured channel (Telegram, Zalo) and the web form → start.
 */
const config = loadConfigOrExit(BotConfigSchema, process.env, 'bot', { fileVariables: BOT_FILE_VARIABLES });
const logger = createLogger({ name: 'bot', level: config.LOG_LEVEL });

const secrets = await loadBotSecrets(config).catch((error: Error) => {
  console.error(`tinbao bot: ${error.message}`);
  process.exit(1);
});
const redis = createBotRedis(config.REDIS_URL);
while (!(await waitForRedis(redis, 10_000))) logger.warn('waiting for Redis before taking updates');
const draftRedis = config.DRAFT_REDIS_URL ? createBotRedis(config.DRAFT_REDIS_URL) : redis;
if (draftRedis !== redis)
  while (!(await waitForRedis(draftRedis, 10_000))) logger.warn('waiting for the drafts Redis');
await assertVolatileRedis(draftRedis, config.DRAFT_REDIS_VOLATILE === 'confirmed').catch((error: Error) => {
  console.error(
    `tinbao bot: ${config.DRAFT_REDIS_URL ? '' : '(no DRAFT_REDIS_URL: drafts would go to REDIS_URL) '}${error.message}`,
  );
  process.exit(1);
});
const intakeQueue = new Queue<StoreTipJob>(QUEUE_NAMES.intake, {
  connection: redis,
  prefix: bullPrefix(config.REDIS_PREFIX),
});
intakeQueue.on('error', () => {});

// The boundaries load now rather than on the first resident's pin.
const places = loadPlaces();
places.locator();

const gateway = createGateway({
  redis,
  draftRedis,
  redisPrefix: config.REDIS_PREFIX,
  intakeQueue,
  orgPublicKey: secrets.orgPublicKey,
  relayPublicKey: secrets.relayPublicKey,
  draftKey: secrets.draftKey,
  pepper: secrets.pepper,
  reporterPepper: createReporterPepperFile(
    `${botKeysDirOf(config)}/reporter-pepper.json`,
    config.TINBAO_REPORTER_PERIOD,
  ),
  places: createPlaceFinder(places),
  logger,
  ...(config.TINBAO_WEB_FORM_URL ? { webFormUrl: config.TINBAO_WEB_FORM_URL } : {}),
  ...(config.TINBAO_API_URL
    ? {
        statusLookup: createStatusLookup(config.TINBAO_API_URL, {
          ...(config.TINBAO_BOT_API_TOKEN ? { botToken: config.TINBAO_BOT_API_TOKEN } : {}),
        }),
      }
    : {}),
});

// Adapters keep only deduplication marks and the group guard: with the drafts, never on disk.
const adapterDeps = {
  redis: draftRedis,
  redisPrefix: config.REDIS_PREFIX,
  pseudonyms: gateway.pseudonyms,
  logger,
};
const adapters: ChannelAdapter[] = [];
let telegram: TelegramAdapter | undefined;
if (config.TELEGRAM_BOT_TOKEN) {
  telegram = createTelegramAdapter({
    ...adapterDeps,
    token: config.TELEGRAM_BOT_TOKEN,
    ...(config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {}),
    ...(config.TELEGRAM_WEBHOOK_URL && config.TELEGRAM_WEBHOOK_SECRET
      ? {
          webhook: {
            url: config.TELEGRAM_WEBHOOK_URL,
            secret: config.TELEGRAM_WEBHOOK_SECRET,
            port: config.BOT_WEBHOOK_PORT,
            host: config.HOST,
          },
        }
      : {}),
  });
  adapters.push(telegram);
}
if (config.ZALO_BOT_TOKEN) {
  adapters.push(
    createZaloAdapter({
      ...adapterDeps,
      token: config.ZALO_BOT_TOKEN,
      ...(config.ZALO_API_ROOT ? { apiRoot: config.ZALO_API_ROOT } : {}),
      ...(config.ZALO_WEBHOOK_URL && config.ZALO_WEBHOOK_SECRET
        ? {
            webhook: {
              url: config.ZALO_WEBHOOK_URL,
              secret: config.ZALO_WEBHOOK_SECRET,
              port: config.ZALO_WEBHOOK_PORT,
              host: config.HOST,
            },
          }
        : {}),
    }),
  );
}

// The web form: the gateway serves it itself, on its own port, so it can be exposed (or run
// as an onion service) while the staff API is not.
const web = createWebAdapter({
  port: config.WEB_FORM_PORT,
  host: config.HOST,
  // The pages it keeps show what the resident typed: with the drafts, in the Redis that keeps nothing on disk.
  redis: draftRedis,
  redisPrefix: config.REDIS_PREFIX,
  draftKey: secrets.draftKey,
  pseudonyms: gateway.pseudonyms,
  logger,
  ...(config.WEB_FORM_TRUST_PROXY !== undefined ? { trustProxy: config.WEB_FORM_TRUST_PROXY } : {}),
});
try {
  await startChannels([web], gateway.conversation);
} catch (error) {
  console.error(
    `tinbao bot: the web form cannot listen on port ${config.WEB_FORM_PORT}: ${(error as Error).message}`,
  );
  process.exit(1);
}
adapters.push(web);

// The platforms (or the emulators `npm start` runs beside us) may not answer yet: retry for
// a minute; a rejected token ends the process at once with a clear line.
for (const adapter of adapters) {
  if (adapter === web) continue;
  for (let attempt = 1; ; attempt++) {
    try {
      await startChannels([adapter], gateway.conversation);
      break;
    } catch (error) {
      const unauthorized =
        (error instanceof GrammyError && error.error_code === 401) ||
        (error instanceof ZaloApiError && error.errorCode === 401);
      if (unauthorized) {
        console.error(`tinbao bot: ${adapter.caps.channel} rejected its bot token (401 Unauthorized)`);
        process.exit(1);
      }
      if (attempt >= 30) {
        console.error(
          `tinbao bot: cannot reach the ${adapter.caps.channel} Bot API: ${(error as Error).message}`,
        );
        process.exit(1);
      }
      logger.warn(
        { channel: adapter.caps.channel, attempt, err: (error as Error).name },
        'Bot API not reachable yet, retrying',
      );
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

// Unit notifications from the api (fixed text, no tip content) go out through the bot's token.
const relayConnection = new Redis(config.REDIS_URL, {
  maxRetriesPerRequest: null,
  connectionName: 'tinbao-bot-relay',
});
relayConnection.on('error', () => {});
const relayWorker = telegram
  ? startRelayWorker({
      connection: relayConnection,
      redisPrefix: config.REDIS_PREFIX,
      senders: { telegram: telegramSender(telegram.bot.api) },
      logger,
    })
  : undefined;
logger.info(
  { channels: adapters.map((adapter) => `${adapter.caps.channel}:${adapter.mode()}`) },
  'bot started',
);

// Operators (and the bench) tell a leak from an allocator keeping pages: V8's heap, what
// Buffers hold outside it, and the resident set, side by side.
const memoryLog =
  config.BOT_MEMORY_LOG_SECONDS > 0
    ? setInterval(() => {
        const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
        const usage = process.memoryUsage();
        logger.info(
          {
            rssMiB: mib(usage.rss),
            heapUsedMiB: mib(usage.heapUsed),
            heapTotalMiB: mib(usage.heapTotal),
            externalMiB: mib(usage.external),
          },
          'memory',
        );
      }, config.BOT_MEMORY_LOG_SECONDS * 1000).unref()
    : undefined;

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'bot stopping');
  if (memoryLog) clearInterval(memoryLog);
  await Promise.all(adapters.map((adapter) => adapter.stop().catch(() => {})));
  await relayWorker?.close().catch(() => {});
  relayConnection.disconnect();
  await intakeQueue.close().catch(() => {});
  redis.disconnect();
  if (draftRedis !== redis) draftRedis.disconnect();
  await gateway.close().catch(() => {});
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
