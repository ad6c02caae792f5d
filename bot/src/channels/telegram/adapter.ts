import { autoRetry } from '@grammyjs/auto-retry';
import type { Logger } from '@tinbao/shared';
import { Bot, type BotConfig, type Context } from 'grammy';
import type { InlineKeyboardButton, InlineKeyboardMarkup, UserFromGetMe } from 'grammy/types';
import type { Redis } from 'ioredis';
import type { Delivery } from '../../conversation/engine';
import { TEXT } from '../../conversation/messages';
import type { ChannelCapabilities, Reply, ResidentInput } from '../../conversation/types';
import { downloadPhoto } from '../../photos/reencode';
import type { Pseudonyms } from '../../submission/pseudonyms';
import type { ChannelAdapter, EventHandler } from '../port';
import { splitText } from '../port';
import { groupChatGuard } from './group-chat';
import { type BotRuntime, startBotRuntime } from './runtime';

export const DEFAULT_TELEGRAM_API_ROOT = 'https://api.telegram.org';

export const TELEGRAM_CAPABILITIES: ChannelCapabilities = {
  channel: 'telegram',
  buttons: true,
  maxTextLength: 4096,
  location: true,
  photos: true,
};

/** The commands shown in Telegram's menu. */
export const BOT_COMMANDS = [
  { command: 'start', description: 'Gửi tin báo' },
  { command: 'huy', description: 'Hủy tin báo đang soạn' },
  { command: 'trogiup', description: 'Hướng dẫn' },
  { command: 'trangthai', description: 'Tra cứu tin đã gửi' },
];

export interface TelegramAdapterDeps {
  token: string;
  /** Bot API root; the local emulator's URL when there is no real token. */
  apiRoot?: string;
  /** Skips getMe at start-up (tests that know the bot already). */
  botInfo?: UserFromGetMe;
  webhook?: { url: string; secret: string; port: number; host?: string };
  pollTimeoutSeconds?: number;
  redis: Redis;
  redisPrefix: string;
  pseudonyms: Pseudonyms;
  logger: Logger;
}

export interface TelegramAdapter extends ChannelAdapter {
  /** The grammY bot underneath (its `api` sends unit notifications; tests drive `handleUpdate`). */
  readonly bot: Bot;
  /** Sets the event handler without taking updates (tests feed `bot.handleUpdate` themselves). */
  listen(onEvent: EventHandler): void;
}

/** Callback data: `<menu seq>:<option id>`, at most 64 bytes. */
const CALLBACK_DATA = /^(\d{1,7}):([A-Za-z0-9_]{1,40})$/;

/**
 * Telegram through grammY: inline buttons for menus, auto-retry on 429/5xx, long polling
 * (runner) or a webhook checked by its secret token. Group chats are refused by a guard.
 */
export function createTelegramAdapter(deps: TelegramAdapterDeps): TelegramAdapter {
  const apiRoot = (deps.apiRoot ?? DEFAULT_TELEGRAM_API_ROOT).replace(/\/+$/, '');
  const config: BotConfig<Context> = { client: { apiRoot } };
  if (deps.botInfo) config.botInfo = deps.botInfo;
  const bot = new Bot(deps.token, config);
  bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60 }));
  let handler: EventHandler | undefined;
  let runtime: BotRuntime | undefined;

  bot.use(groupChatGuard({ redis: deps.redis, redisPrefix: deps.redisPrefix, pseudonyms: deps.pseudonyms }));
  bot.on(['message', 'callback_query'], async (ctx) => {
    const chatId = ctx.chat?.id;
    const userId = ctx.from?.id;
    if (chatId === undefined || userId === undefined || ctx.chat?.type !== 'private' || !handler) return;
    const input = inputOf(ctx, apiRoot, deps.token);
    if (ctx.callbackQuery) {
      // Stops the button's spinner at once; a stale button also says so in the chat.
      const text = input.kind === 'stale-choice' ? TEXT.staleButton : undefined;
      void ctx.answerCallbackQuery(text ? { text } : {}).catch(() => {});
    }
    await handler(
      {
        resident: { channel: 'telegram', scope: 'telegram', userId: String(userId), chatId: String(chatId) },
        input,
      },
      (replies) => deliver(bot, chatId, replies),
    );
  });
  bot.catch((error) => {
    deps.logger.warn(
      {
        updateId: error.ctx.update.update_id,
        err: error.error instanceof Error ? error.error.name : typeof error.error,
      },
      'telegram update failed',
    );
  });

  return {
    caps: TELEGRAM_CAPABILITIES,
    scope: 'telegram',
    bot,
    mode: () => runtime?.mode ?? 'idle',
    listen(onEvent) {
      handler = onEvent;
    },
    async start(onEvent) {
      handler = onEvent;
      runtime = await startBotRuntime(bot, {
        logger: deps.logger,
        ...(deps.webhook ? { webhook: deps.webhook } : {}),
        ...(deps.pollTimeoutSeconds ? { pollTimeoutSeconds: deps.pollTimeoutSeconds } : {}),
      });
      await bot.api
        .setMyCommands(BOT_COMMANDS)
        .catch((error: Error) => deps.logger.warn({ err: error.name }, 'could not set the command menu'));
    },
    async stop() {
      await runtime?.stop();
      runtime = undefined;
    },
    async sendText(address, text) {
      await bot.api.sendMessage(address, text);
    },
  };
}

/** What the resident did, in the core's words. */
export function inputOf(ctx: Context, apiRoot: string, token: string): ResidentInput {
  const callback = ctx.callbackQuery;
  if (callback) {
    const match = CALLBACK_DATA.exec(callback.data ?? '');
    return match ? { kind: 'choice', menu: Number(match[1]), option: match[2]! } : { kind: 'stale-choice' };
  }
  const message = ctx.message;
  if (!message) return { kind: 'unsupported', what: 'other' };
  if (message.text !== undefined) return { kind: 'text', text: message.text, sentAt: message.date * 1000 };
  const photoOf = (fileId: string, size: number | undefined, caption: string | undefined): ResidentInput => ({
    kind: 'photo',
    source: {
      ...(size !== undefined ? { declaredBytes: size } : {}),
      async fetch() {
        const file = await ctx.api.getFile(fileId);
        if (!file.file_path) throw new Error('no file path');
        return downloadPhoto(`${apiRoot}/file/bot${token}/${file.file_path}`);
      },
    },
    ...(caption ? { caption } : {}),
  });
  const largest = message.photo?.at(-1);
  if (largest) return photoOf(largest.file_id, largest.file_size, message.caption);
  const document = message.document;
  if (document) {
    // Images sent "as a file" keep their full size; anything else is not a photo.
    if (document.mime_type?.startsWith('image/'))
      return photoOf(document.file_id, document.file_size, message.caption);
    return { kind: 'document', isImage: false };
  }
  if (message.location)
    return { kind: 'location', latitude: message.location.latitude, longitude: message.location.longitude };
  if (message.sticker) return { kind: 'unsupported', what: 'sticker' };
  if (message.voice || message.audio) return { kind: 'unsupported', what: 'voice' };
  if (message.video || message.video_note || message.animation) return { kind: 'unsupported', what: 'video' };
  if (message.contact) return { kind: 'unsupported', what: 'contact' };
  return { kind: 'unsupported', what: 'other' };
}

async function deliver(bot: Bot, chatId: number, replies: Reply[]): Promise<Delivery> {
  let lastMenuRef: string | undefined;
  for (const reply of replies) {
    if (reply.kind === 'retire-menu') {
      await bot.api.editMessageReplyMarkup(chatId, Number(reply.messageRef)).catch(() => {});
      continue;
    }
    const parts = splitText(reply.text, TELEGRAM_CAPABILITIES.maxTextLength);
    for (const [index, part] of parts.entries()) {
      const last = index === parts.length - 1;
      if (reply.kind === 'menu' && last) {
        const sent = await bot.api.sendMessage(chatId, part, { reply_markup: keyboardOf(reply) });
        lastMenuRef = String(sent.message_id);
      } else {
        await bot.api.sendMessage(chatId, part);
      }
    }
  }
  return lastMenuRef ? { lastMenuRef } : {};
}

function keyboardOf(menu: Extract<Reply, { kind: 'menu' }>): InlineKeyboardMarkup {
  const buttons: InlineKeyboardButton[] = menu.options.map((option) => ({
    text: option.label,
    callback_data: `${menu.seq}:${option.id}`,
  }));
  const perRow =
    menu.columns ??
    (menu.options.length <= 3 && menu.options.every((o) => o.label.length <= 12) ? menu.options.length : 1);
  const rows: InlineKeyboardButton[][] = [];
  for (let index = 0; index < buttons.length; index += perRow)
    rows.push(buttons.slice(index, index + perRow));
  return { inline_keyboard: rows };
}
