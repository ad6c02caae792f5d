import { randomBytes } from 'node:crypto';
import {
  bullPrefix,
  createLogger,
  generateKeyPair,
  type KeyPair,
  loadPlaces,
  QUEUE_NAMES,
  type StoreTipJob,
} from '@tinbao/shared';
import { getSodium } from '@tinbao/shared/crypto/sodium';
import { createLogCapture } from '@tinbao/shared/testing/log-capture';
import { createTestRedisPrefix, deleteRedisPrefix } from '@tinbao/shared/testing/redis-prefix';
import { Queue } from 'bullmq';
import type { Bot } from 'grammy';
import type { InlineKeyboardMarkup, Update } from 'grammy/types';
import type { Redis } from 'ioredis';
import { createTelegramAdapter, type TelegramAdapter } from '../channels/telegram/adapter';
import { createPlaceFinder } from '../conversation/places';
import { createGateway, type Gateway, type GatewayDeps } from '../gateway';
import { createBotRedis } from '../redis';
import { createReporterPepperInMemory } from '../submission/reporter-pepper';

export const TEST_BOT_INFO = {
  id: 4242,
  is_bot: true as const,
  first_name: 'TinBao',
  username: 'tinbao_test_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

export interface SentCall {
  method: string;
  payload: Record<string, unknown>;
}

/** The keys and Redis of one test file; `createBot` can be called again to "restart" the bot. */
export interface TestBotWorld {
  redis: Redis;
  prefix: string;
  intakeQueue: Queue<StoreTipJob>;
  org: KeyPair;
  relay: KeyPair;
  deps: GatewayDeps;
  logs: ReturnType<typeof createLogCapture>;
  /** A gateway with a Telegram adapter fed in memory (a "process": call again to restart). */
  telegram(overrides?: Partial<GatewayDeps>): { gateway: Gateway; adapter: TelegramAdapter };
  close(): Promise<void>;
}

export async function waitForReady(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve) => redis.once('ready', () => resolve()));
}

/** Fresh keys for a test bot: the organisation key pair, the relay key pair, the draft key and the pepper. */
export async function createTestBotKeys() {
  const org = await generateKeyPair();
  const sodium = await getSodium();
  const relayPrivate = new Uint8Array(randomBytes(32));
  const relay = { privateKey: relayPrivate, publicKey: sodium.crypto_scalarmult_base(relayPrivate) };
  return { org, relay, draftKey: new Uint8Array(randomBytes(32)), pepper: new Uint8Array(randomBytes(32)) };
}

export const TEST_TELEGRAM_TOKEN = '4242:TEST-token';

export async function createTestBotWorld(overrides: Partial<GatewayDeps> = {}): Promise<TestBotWorld> {
  const redis = createBotRedis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  await waitForReady(redis);
  const prefix = createTestRedisPrefix();
  const intakeQueue = new Queue<StoreTipJob>(QUEUE_NAMES.intake, {
    connection: redis,
    prefix: bullPrefix(prefix),
  });
  intakeQueue.on('error', () => {});
  const { org, relay, draftKey, pepper } = await createTestBotKeys();
  const logs = createLogCapture();
  const deps: GatewayDeps = {
    redis,
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
    logger: createLogger({ name: 'bot', level: 'debug', destination: logs.stream }),
    ...overrides,
  };
  const gateways: Gateway[] = [];
  const telegram = (more: Partial<GatewayDeps> = {}) => {
    const gatewayDeps = { ...deps, ...more };
    const gateway = createGateway(gatewayDeps);
    gateways.push(gateway);
    const adapter = createTelegramAdapter({
      token: TEST_TELEGRAM_TOKEN,
      botInfo: TEST_BOT_INFO,
      redis,
      redisPrefix: prefix,
      pseudonyms: gateway.pseudonyms,
      logger: gatewayDeps.logger,
    });
    adapter.listen((event, deliver) =>
      gateway.conversation.handle(event.resident, adapter.caps, event.input, deliver),
    );
    return { gateway, adapter };
  };
  return {
    redis,
    prefix,
    intakeQueue,
    org,
    relay,
    deps,
    logs,
    telegram,
    close: async () => {
      await Promise.all(gateways.map((gateway) => gateway.close()));
      await intakeQueue.close();
      await deleteRedisPrefix(redis, prefix);
      redis.disconnect();
    },
  };
}

/**
 * A bot whose Bot API calls are answered in memory (Telegram itself is the only thing faked
 * here; Redis and the queue are real). Updates go through `bot.handleUpdate`, in order.
 */
export class FakeTelegramChat {
  readonly calls: SentCall[] = [];
  private nextUpdateId = 1;
  private nextMessageId = 1;
  private readonly sentIds: number[] = [];

  constructor(
    readonly bot: Bot,
    readonly chatId: number,
    readonly userId = chatId,
    readonly chatType: 'private' | 'group' = 'private',
  ) {
    bot.api.config.use(async (_previous, method, payload) => {
      this.calls.push({ method, payload: payload as Record<string, unknown> });
      const messageId = this.nextMessageId++;
      if (method === 'sendMessage') this.sentIds.push(messageId);
      const result =
        method === 'sendMessage'
          ? {
              message_id: messageId,
              date: Math.floor(Date.now() / 1000),
              chat: { id: this.chatId, type: this.chatType },
              text: (payload as { text: string }).text,
            }
          : true;
      // biome-ignore lint/suspicious/noExplicitAny: the transformer's result type depends on the method
      return { ok: true, result } as any;
    });
  }

  private base() {
    return {
      message_id: this.nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat:
        this.chatType === 'private'
          ? { id: this.chatId, type: 'private' as const, first_name: 'Dân' }
          : { id: this.chatId, type: 'group' as const, title: 'Nhóm' },
      from: { id: this.userId, is_bot: false, first_name: 'Dân' },
    };
  }

  /** Delivers one update and returns the texts the bot sent in answer. */
  async deliver(update: Omit<Update, 'update_id'>): Promise<SentCall[]> {
    const before = this.calls.length;
    await this.bot.handleUpdate({ update_id: this.nextUpdateId++, ...update } as Update);
    return this.calls.slice(before);
  }

  /** Sends a text; `date` (unix seconds) stands for when Telegram received it. */
  async text(text: string, options: { date?: number } = {}): Promise<string[]> {
    const entities = text.startsWith('/')
      ? [{ type: 'bot_command' as const, offset: 0, length: text.split(' ')[0]!.length }]
      : [];
    const date = options.date ?? Math.floor(Date.now() / 1000);
    return texts(await this.deliver({ message: { ...this.base(), date, text, entities } }));
  }

  /** The Bot API calls of one method, e.g. every editMessageReplyMarkup. */
  callsOf(method: string): SentCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** The message id the bot's last sendMessage got. */
  lastSentMessageId(): number | undefined {
    return this.sentIds.at(-1);
  }

  /** Presses the button with this text on the last keyboard the bot sent. */
  async press(label: string): Promise<string[]> {
    const button = this.lastButtons().find((candidate) => candidate.text === label);
    if (!button)
      throw new Error(`no button «${label}» in ${JSON.stringify(this.lastButtons().map((b) => b.text))}`);
    return this.pressData(button.data);
  }

  /** The callback data of the button with this text on the last keyboard (to press it again later). */
  dataOf(label: string): string {
    const button = this.lastButtons().find((candidate) => candidate.text === label);
    if (!button) throw new Error(`no button «${label}»`);
    return button.data;
  }

  /** Sends a callback query with any data: a button of an older message, or a forged one. */
  async pressData(data: string): Promise<string[]> {
    const message = { ...this.base(), from: { ...TEST_BOT_INFO }, text: 'nút' };
    return texts(
      await this.deliver({
        callback_query: {
          id: String(this.nextUpdateId),
          from: this.base().from,
          chat_instance: 'test',
          message,
          data,
        },
      }),
    );
  }

  async other(kind: 'sticker' | 'voice' | 'video' | 'document'): Promise<string[]> {
    const file = { file_id: `file-${kind}`, file_unique_id: `unique-${kind}` };
    const content =
      kind === 'sticker'
        ? {
            sticker: {
              ...file,
              type: 'regular',
              width: 512,
              height: 512,
              is_animated: false,
              is_video: false,
            },
          }
        : kind === 'voice'
          ? { voice: { ...file, duration: 3 } }
          : kind === 'video'
            ? { video: { ...file, width: 640, height: 480, duration: 3 } }
            : { document: { ...file, file_name: 'a.pdf', mime_type: 'application/pdf' } };
    return texts(await this.deliver({ message: { ...this.base(), ...content } as never }));
  }

  async location(latitude: number, longitude: number): Promise<string[]> {
    return texts(await this.deliver({ message: { ...this.base(), location: { latitude, longitude } } }));
  }

  /** The callback data of every button of the last message the bot sent with a keyboard. */
  lastButtons(): { text: string; data: string }[] {
    for (let index = this.calls.length - 1; index >= 0; index--) {
      const markup = this.calls[index]?.payload.reply_markup as InlineKeyboardMarkup | undefined;
      if (this.calls[index]?.method === 'sendMessage' && markup?.inline_keyboard) {
        return markup.inline_keyboard.flat().map((button) => ({
          text: button.text,
          data: 'callback_data' in button ? (button.callback_data ?? '') : '',
        }));
      }
    }
    return [];
  }
}

function texts(calls: SentCall[]): string[] {
  return calls.filter((call) => call.method === 'sendMessage').map((call) => String(call.payload.text ?? ''));
}
