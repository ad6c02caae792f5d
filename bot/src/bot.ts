import { autoRetry } from '@grammyjs/auto-retry';
import { sequentialize } from '@grammyjs/runner';
import type { StoreTipJob } from '@tinbao/shared';
import { type AdminUnits, type Logger, pseudonymOf } from '@tinbao/shared';
import type { Queue } from 'bullmq';
import { Bot, type BotConfig, session } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Redis } from 'ioredis';
import type { BotContext } from './context';
import { createDraftStorage, createPhotoStore } from './drafts/draft-store';
import { errorSummary, replyOnce } from './errors';
import { tipConversation } from './tips/conversation';
import { emptyDraft } from './tips/draft';
import { groupChatGuard } from './tips/group-chat';
import { TEXT } from './tips/messages';
import { downloadTelegramFile } from './tips/photos';
import type { StatusLookup } from './tips/status';
import type { SubmitDeps } from './tips/submit';

export interface BotDeps {
  token: string;
  /** Bot API root; the local emulator's URL when there is no real token. */
  apiRoot?: string;
  /** Skips getMe at start-up (tests that know the bot already). */
  botInfo?: UserFromGetMe;
  /** Fails fast while Redis is down: drafts, rate limits, intake records. */
  redis: Redis;
  redisPrefix: string;
  intakeQueue: Queue<StoreTipJob>;
  orgPublicKey: Uint8Array;
  relayPublicKey: Uint8Array;
  draftKey: Uint8Array;
  pepper: Uint8Array;
  units: AdminUnits;
  logger: Logger;
  /** The API's public receipt status for /trangthai; without it the resident is told it is coming. */
  statusLookup?: StatusLookup;
  /** Called after each update with the step it arrived in and the handler's duration (bench). */
  onHandled?: (step: string, milliseconds: number) => void;
}

export const DEFAULT_API_ROOT = 'https://api.telegram.org';

/**
 * Builds the bot from its deps: auto-retry on 429/5xx, per-chat ordering, encrypted
 * drafts as the session, the feature composers, one error handler. Starts nothing.
 */
export function createBot(deps: BotDeps): Bot<BotContext> {
  const apiRoot = deps.apiRoot ?? DEFAULT_API_ROOT;
  const config: BotConfig<BotContext> = { client: { apiRoot } };
  if (deps.botInfo) config.botInfo = deps.botInfo;
  const bot = new Bot<BotContext>(deps.token, config);
  bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60 }));

  const crypto = { redis: deps.redis, redisPrefix: deps.redisPrefix, draftKey: deps.draftKey };
  const draftStorage = createDraftStorage(crypto);
  const submit: SubmitDeps = {
    redis: deps.redis,
    redisPrefix: deps.redisPrefix,
    intakeQueue: deps.intakeQueue,
    orgPublicKey: deps.orgPublicKey,
    relayPublicKey: deps.relayPublicKey,
    pepper: deps.pepper,
    photos: createPhotoStore(crypto),
  };

  // Updates of one chat run in order; different chats run concurrently (runner).
  bot.use(sequentialize((ctx: BotContext) => ctx.chat?.id.toString()));
  if (deps.onHandled) {
    const onHandled = deps.onHandled;
    bot.use(async (ctx, next) => {
      const started = performance.now();
      await next();
      onHandled(
        (ctx as BotContext & { stepAtEntry?: string }).stepAtEntry ?? 'other',
        performance.now() - started,
      );
    });
  }
  bot.use(groupChatGuard({ redis: deps.redis, redisPrefix: deps.redisPrefix, pepper: deps.pepper }));
  // The draft is named by a keyed hash of the chat, never by the chat id itself.
  bot.use(async (ctx, next) => {
    if (ctx.chat?.type === 'private')
      ctx.chatKey = await pseudonymOf(deps.pepper, 'telegram-chat', ctx.chat.id);
    await next();
  });
  bot.use(session({ initial: emptyDraft, storage: draftStorage, getSessionKey: (ctx) => ctx.chatKey }));
  if (deps.onHandled) {
    bot.use(async (ctx, next) => {
      if (ctx.chatKey) (ctx as BotContext & { stepAtEntry?: string }).stepAtEntry = ctx.session.step;
      await next();
    });
  }
  bot.use(
    tipConversation({
      units: deps.units,
      submit,
      draftStorage,
      downloadFile: (filePath) => downloadTelegramFile(apiRoot, deps.token, filePath),
      ...(deps.statusLookup ? { statusLookup: deps.statusLookup } : {}),
      logger: deps.logger,
    }),
  );

  bot.catch(async (error) => {
    deps.logger.warn(
      { updateId: error.ctx.update.update_id, err: errorSummary(error.error) },
      'update failed',
    );
    await replyOnce(error.ctx, TEXT.tryAgainLater);
  });
  return bot;
}

/** The commands shown in Telegram's menu. */
export const BOT_COMMANDS = [
  { command: 'start', description: 'Gửi tin báo' },
  { command: 'huy', description: 'Hủy tin báo đang soạn' },
  { command: 'trogiup', description: 'Hướng dẫn' },
  { command: 'trangthai', description: 'Tra cứu tin đã gửi' },
];
