import { seedAdminUnits } from '@tinbao/api/admin-units/seed';
import { createMetrics } from '@tinbao/api/platform/metrics';
import { createQueues, type Queues } from '@tinbao/api/platform/queues';
import { createRedis } from '@tinbao/api/platform/redis';
import { tips } from '@tinbao/api/platform/schema';
import { createTestDatabase, type TestDatabase } from '@tinbao/api/platform/test-database';
import { startWorkers } from '@tinbao/api/workers';
import type { ChannelAdapter } from '@tinbao/bot/channels/port';
import { createTelegramAdapter } from '@tinbao/bot/channels/telegram/adapter';
import { createWebAdapter, type WebAdapter } from '@tinbao/bot/channels/web/adapter';
import { createZaloAdapter } from '@tinbao/bot/channels/zalo/adapter';
import { createPlaceFinder } from '@tinbao/bot/conversation/places';
import { createGateway, type Gateway, type GatewayDeps } from '@tinbao/bot/gateway';
import { createBotRedis, waitForRedis } from '@tinbao/bot/redis';
import { createReporterPepperInMemory } from '@tinbao/bot/submission/reporter-pepper';
import { createTestBotKeys } from '@tinbao/bot/testing/test-bot';
import {
  createEmulatorClient,
  type EmulatorClient,
  type EmulatorMessage,
} from '@tinbao/emulators/telegram/client';
import { startTelegramEmulator, type TelegramEmulator } from '@tinbao/emulators/telegram/server';
import { createZaloEmulatorClient, type ZaloEmulatorClient } from '@tinbao/emulators/zalo/client';
import { startZaloEmulator, type ZaloEmulator } from '@tinbao/emulators/zalo/server';
import {
  bullPrefix,
  createLogger,
  type KeyPair,
  loadAdminUnits,
  loadPlaces,
  QUEUE_NAMES,
  type StoreTipJob,
} from '@tinbao/shared';
import { createLogCapture } from '@tinbao/shared/testing/log-capture';
import { createTestRedisPrefix, deleteRedisPrefix } from '@tinbao/shared/testing/redis-prefix';
import { Queue, type Worker } from 'bullmq';
import { eq } from 'drizzle-orm';
import type { Redis } from 'ioredis';

export const BOT_TOKEN = '7000000001:TEST-tinbao-e2e';
export const ZALO_TOKEN = '8000000001:TEST-tinbao-zalo';

/**
 * Emulator + bot (long polling against it, in-process) + the api's intake workers on a
 * PGlite database of its own, all on one Redis prefix. `restartBot` stops and rebuilds the
 * bot on the same keys and Redis, as a process restart would.
 */
export interface BotWorld {
  emulator: TelegramEmulator;
  client: EmulatorClient;
  zaloEmulator: ZaloEmulator;
  zalo: ZaloEmulatorClient;
  /** The web form, served by the gateway on a port of its own (trusts X-Forwarded-For from loopback). */
  web(): WebAdapter;
  /** Resolves once the gateway has handled `count` events of the chat in all (tests wait on it). */
  handled(chatId: string | number, count: number, timeoutMs?: number): Promise<void>;
  handledCount(chatId: string | number): number;
  database: TestDatabase;
  prefix: string;
  /** The api side's Redis connection (waits for Redis to come back). */
  apiRedis: Redis;
  /** The bot's Redis connection (fails fast). */
  botRedis: Redis;
  queues: Queues;
  org: KeyPair;
  relay: KeyPair;
  botDeps: GatewayDeps;
  logs: ReturnType<typeof createLogCapture>;
  restartBot(): Promise<void>;
  stopBot(): Promise<void>;
  tipsByReceipt(receiptCode: string): Promise<StoredTipRow[]>;
  close(): Promise<void>;
}

/** A tip row as intake stores it: with its envelope (only a retention purge, years later, nulls it). */
export type StoredTipRow = typeof tips.$inferSelect & { envelope: Uint8Array };

function storedTipRow(row: typeof tips.$inferSelect): StoredTipRow {
  if (!row.envelope) throw new Error(`tip ${row.receiptCode} has no envelope (purged)`);
  return { ...row, envelope: row.envelope };
}

export async function startBotWorld(
  options: {
    redisUrl?: string;
    botRedisUrl?: string;
    workers?: boolean;
    gateway?: Partial<GatewayDeps>;
    web?: Partial<Parameters<typeof createWebAdapter>[0]>;
  } = {},
): Promise<BotWorld> {
  const redisUrl = options.redisUrl ?? 'redis://127.0.0.1:6379';
  const logs = createLogCapture();
  const logger = createLogger({ name: 'e2e', level: 'debug', destination: logs.stream });
  const emulator = await startTelegramEmulator({ port: 0 });
  const client = createEmulatorClient(emulator.url);
  const zaloEmulator = await startZaloEmulator({ port: 0 });
  const zalo = createZaloEmulatorClient(zaloEmulator.url);
  const counts = new Map<string, number>();
  const waiters = new Set<{ chatId: string; count: number; resolve: () => void }>();
  const countHandled = (chatId: string) => {
    counts.set(chatId, (counts.get(chatId) ?? 0) + 1);
    for (const waiter of waiters) {
      if (waiter.chatId === chatId && (counts.get(chatId) ?? 0) >= waiter.count) {
        waiters.delete(waiter);
        waiter.resolve();
      }
    }
  };
  const database = await createTestDatabase('pglite');
  await seedAdminUnits(database.db, loadAdminUnits());
  const prefix = createTestRedisPrefix();

  const apiRedis = createRedis(redisUrl, 'queue', 'e2e-api');
  const queues = createQueues(apiRedis, prefix);
  // The worker opens every envelope the bot seals: both hold the one organisation key pair.
  const { org, relay, draftKey, pepper } = await createTestBotKeys();
  const workers: Worker[] =
    options.workers === false
      ? []
      : startWorkers(
          {
            db: database.db,
            redis: apiRedis,
            queueConnection: apiRedis,
            redisPrefix: prefix,
            queues,
            orgKeys: org,
            metrics: createMetrics(),
            logger,
          },
          { concurrency: 4, lockDurationMs: 30_000 },
        );

  const botRedis = createBotRedis(options.botRedisUrl ?? redisUrl);
  if (!(await waitForRedis(botRedis, 10_000))) throw new Error('the bot cannot reach Redis');
  const intakeQueue = new Queue<StoreTipJob>(QUEUE_NAMES.intake, {
    connection: botRedis,
    prefix: bullPrefix(prefix),
  });
  intakeQueue.on('error', () => {});

  const botDeps: GatewayDeps = {
    redis: botRedis,
    redisPrefix: prefix,
    intakeQueue,
    orgPublicKey: org.publicKey,
    relayPublicKey: relay.publicKey,
    draftKey,
    pepper,
    reporterPepper: createReporterPepperInMemory(),
    // The production cost (65–100 ms a resident) is measured by the bench and its own test.
    pseudonymCost: 'test',
    places: createPlaceFinder(loadPlaces()),
    logger,
    ...options.gateway,
  };

  let adapters: ChannelAdapter[] = [];
  let gateway: Gateway | undefined;
  let web: WebAdapter | undefined;
  let webPort = 0;
  const startBot = async () => {
    gateway = createGateway(botDeps);
    const common = { redis: botRedis, redisPrefix: prefix, pseudonyms: gateway.pseudonyms, logger };
    adapters = [
      createTelegramAdapter({ ...common, token: BOT_TOKEN, apiRoot: emulator.url, pollTimeoutSeconds: 5 }),
      createZaloAdapter({ ...common, token: ZALO_TOKEN, apiRoot: zaloEmulator.url, pollTimeoutSeconds: 5 }),
    ];
    // The same port after a restart, so a resident's next request reaches the new gateway.
    web = createWebAdapter({
      ...common,
      port: webPort,
      draftKey,
      trustProxy: 'loopback',
      ...options.web,
    });
    adapters.push(web);
    for (const adapter of adapters) {
      await adapter.start((event, deliver) =>
        gateway!.conversation
          .handle(event.resident, adapter.caps, event.input, deliver)
          .finally(() => countHandled(event.resident.chatId)),
      );
    }
    webPort = Number(new URL(web.url()).port);
  };
  const stopBot = async () => {
    await Promise.all(adapters.map((adapter) => adapter.stop()));
    adapters = [];
    await gateway?.close();
    gateway = undefined;
  };
  await startBot();

  return {
    emulator,
    client,
    zaloEmulator,
    zalo,
    web: () => {
      if (!web) throw new Error('the gateway is stopped');
      return web;
    },
    handledCount: (chatId) => counts.get(String(chatId)) ?? 0,
    handled: (chatId, count, timeoutMs = 20_000) =>
      new Promise<void>((resolve, reject) => {
        const key = String(chatId);
        if ((counts.get(key) ?? 0) >= count) return resolve();
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(`chat ${key}: ${counts.get(key) ?? 0} of ${count} events handled in ${timeoutMs} ms`),
          );
        }, timeoutMs);
        const waiter = {
          chatId: key,
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        waiters.add(waiter);
      }),
    database,
    prefix,
    apiRedis,
    botRedis,
    queues,
    org,
    relay,
    botDeps,
    logs,
    stopBot,
    restartBot: async () => {
      await stopBot();
      await startBot();
    },
    tipsByReceipt: async (receiptCode) =>
      (await database.db.select().from(tips).where(eq(tips.receiptCode, receiptCode))).map(storedTipRow),
    close: async () => {
      await stopBot();
      await Promise.all(workers.map((worker) => worker.close()));
      await intakeQueue.close();
      await queues.close();
      await deleteRedisPrefix(apiRedis, prefix).catch(() => {});
      apiRedis.disconnect();
      botRedis.disconnect();
      await emulator.close();
      await zaloEmulator.close();
      await database.destroy();
    },
  };
}

/** One resident in one private chat: acts, then waits for the bot's answer(s). */
export function resident(client: EmulatorClient, chatId: number) {
  let lastSeen = 0;
  const waitAfter = async (count: number, timeoutMs: number) => {
    const messages = await client.waitForMessages(chatId, { after: lastSeen, count, timeoutMs });
    lastSeen = messages.at(-1)?.message_id ?? lastSeen;
    return messages;
  };
  const self = {
    chatId,
    /** Marks everything the bot sent so far as seen. */
    async sync() {
      lastSeen = (await client.lastMessage(chatId))?.message_id ?? 0;
    },
    async say(text: string, count = 1, timeoutMs = 15_000): Promise<EmulatorMessage[]> {
      await client.sendText(chatId, text);
      return waitAfter(count, timeoutMs);
    },
    /** A text delivered as a raw update: Telegram's 4,096-character limit does not apply (hostile client). */
    async sayRaw(text: string, count = 1): Promise<EmulatorMessage[]> {
      await client.deliverUpdate({
        message: {
          chat: { id: chatId, type: 'private', first_name: 'Người dân' },
          from: { id: chatId, is_bot: false, first_name: 'Người dân' },
          text,
        },
      });
      return waitAfter(count, 15_000);
    },
    /** Presses the button (by its text) of the given message, or of the bot's last message with buttons. */
    async press(label: string | RegExp, message?: EmulatorMessage, count = 1): Promise<EmulatorMessage[]> {
      const target = message ?? (await self.lastWithButtons());
      const button = client.findButton(target, label);
      await client.pressButton(chatId, target.message_id, button.callback_data);
      return waitAfter(count, 15_000);
    },
    async pressData(data: string, messageId: number, count = 1): Promise<EmulatorMessage[]> {
      await client.pressButton(chatId, messageId, data);
      return waitAfter(count, 15_000);
    },
    async photo(bytes: Uint8Array, contentType = 'image/jpeg'): Promise<EmulatorMessage[]> {
      await client.sendPhoto(chatId, bytes, contentType);
      return waitAfter(1, 15_000);
    },
    async location(latitude: number, longitude: number, count = 1): Promise<EmulatorMessage[]> {
      await client.sendLocation(chatId, latitude, longitude);
      return waitAfter(count, 15_000);
    },
    async other(kind: 'sticker' | 'voice' | 'video' | 'document'): Promise<EmulatorMessage[]> {
      await client.sendOther(chatId, kind);
      return waitAfter(1, 15_000);
    },
    async lastWithButtons(): Promise<EmulatorMessage> {
      const messages = await client.messages(chatId);
      const found = [...messages]
        .reverse()
        .find((message) => message.reply_markup && 'inline_keyboard' in message.reply_markup);
      if (!found) throw new Error(`chat ${chatId}: no bot message with buttons`);
      return found;
    },
  };
  return self;
}

/** Polls the database (an external state) until the receipt's tip row exists, or fails. */
export async function waitForTip(world: BotWorld, receiptCode: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const rows = await world.tipsByReceipt(receiptCode);
    if (rows.length > 0) return rows;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`tip ${receiptCode} was not stored within ${timeoutMs} ms`);
}

export const receiptOf = (text: string | undefined) => /TB-[0-9A-Z]{5}-[0-9A-Z]{5}/.exec(text ?? '')?.[0];

export async function cleanupPrefix(redis: Redis, prefix: string) {
  await deleteRedisPrefix(redis, prefix);
}
