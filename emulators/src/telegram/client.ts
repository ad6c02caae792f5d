import { createControlClient } from '../common/control-client';
import type {
  BotEvent,
  CallbackAnswer,
  EmulatorMessage,
  InlineKeyboardButton,
  OtherMessageKind,
  UploadedFileInfo,
} from './types';

export type { FaultInput } from '../common/faults';
export type {
  BotEvent,
  CallbackAnswer,
  EmulatorMessage,
  InlineKeyboardButton,
  OtherMessageKind,
  UploadedFileInfo,
} from './types';

export interface Sender {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface SendOptions {
  /** Defaults to the resident of a private chat: { id: chatId, first_name: 'Người dân' }. */
  from?: Sender;
  /** Defaults to 'private' for a positive chatId, 'group' for a negative one. */
  chatType?: 'private' | 'group' | 'supergroup';
}

export interface Delivered {
  update_id: number;
  message_id?: number;
  callback_query_id?: string;
}

export interface EmulatorStatus {
  polling: boolean;
  pending_update_count: number;
  webhook_url: string;
  chat_count: number;
  file_count: number;
  file_bytes: number;
  fault_count: number;
}

/** A bot action was missing or the emulator said no; the message tells what did arrive. */
export class EmulatorClientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmulatorClientError';
  }
}

/**
 * Typed client of the emulator's control API, for tests, the bench and tools. `url` is the
 * emulator's base URL (TelegramEmulator.url).
 */
export function createEmulatorClient(url: string) {
  const { call, chatPath, query, waitSeconds, sliceSeconds, shared } = createControlClient<
    number,
    EmulatorMessage,
    BotEvent,
    EmulatorStatus
  >(url, {
    error: EmulatorClientError,
    chatLabel: 'chat',
    describeMessage: (message) =>
      `#${message.message_id}${message.edited ? ' (edited)' : ''}: ${JSON.stringify(message.text ?? message.caption ?? (message.photo ? '[photo]' : '[other]'))}`,
  });

  const describeEvents = (events: BotEvent[]) =>
    events.length === 0
      ? 'nothing'
      : events
          .map(
            (event) =>
              `${event.seq}:${event.type}${event.message_id !== undefined ? `#${event.message_id}` : ''}${event.text !== undefined ? ` ${JSON.stringify(event.text.slice(0, 80))}` : ''}`,
          )
          .join(', ');

  const client = {
    ...shared,

    /** A resident's text message; a leading /command gets its bot_command entity. */
    sendText: (chatId: number, text: string, options: SendOptions = {}) =>
      call<Delivered & { message_id: number }>('POST', chatPath(chatId, '/text'), { text, ...options }),

    /** Presses an inline button; any data is allowed, even data on no button (forgery tests). */
    pressButton: (chatId: number, messageId: number, data: string, options: SendOptions = {}) =>
      call<Delivered & { callback_query_id: string }>('POST', chatPath(chatId, '/callback'), {
        messageId,
        data,
        ...options,
      }),

    sendPhoto: (chatId: number, bytes: Uint8Array, contentType = 'image/jpeg', caption?: string) =>
      call<Delivered & { message_id: number }>(
        'POST',
        chatPath(chatId, `/photo${caption === undefined ? '' : `?caption=${encodeURIComponent(caption)}`}`),
        bytes,
        { 'content-type': contentType },
      ),

    sendLocation: (chatId: number, latitude: number, longitude: number, options: SendOptions = {}) =>
      call<Delivered & { message_id: number }>('POST', chatPath(chatId, '/location'), {
        latitude,
        longitude,
        ...options,
      }),

    /** A sticker, voice note, video, document, audio, animation, video note or contact with a fake file. */
    sendOther: (chatId: number, kind: OtherMessageKind, options: SendOptions & { caption?: string } = {}) =>
      call<Delivered & { message_id: number }>('POST', chatPath(chatId, `/${kind}`), options),

    /** The resident blocks (or unblocks) the bot: a my_chat_member update, then sends answer 403. */
    setBlocked: (chatId: number, blocked: boolean) =>
      call<Delivered>('POST', chatPath(chatId, '/block'), { blocked }),

    /** Any Telegram Update; update_id, message_id and date are filled in when missing. */
    deliverUpdate: (update: Record<string, unknown>) => call<Delivered>('POST', '/updates', update),

    uploadFile: (bytes: Uint8Array, contentType = 'application/octet-stream') =>
      call<UploadedFileInfo>('POST', '/files', bytes, { 'content-type': contentType }),

    /** Waits for the first bot action (seq > afterSeq) that matches; edits of old messages count too. */
    async waitForEvent(
      chatId: number,
      predicate: (event: BotEvent) => boolean,
      options: { afterSeq?: number; timeoutMs?: number } = {},
    ): Promise<BotEvent> {
      const deadline = Date.now() + (options.timeoutMs ?? 5000);
      let after = options.afterSeq ?? 0;
      const seen: BotEvent[] = [];
      do {
        const events = await call<BotEvent[]>(
          'GET',
          chatPath(chatId, `/events${query({ after, wait: sliceSeconds(deadline) })}`),
        );
        for (const event of events) {
          if (predicate(event)) return event;
          seen.push(event);
          after = Math.max(after, event.seq);
        }
      } while (Date.now() < deadline);
      throw new EmulatorClientError(
        `waited ${options.timeoutMs ?? 5000} ms for a matching bot action in chat ${chatId} after seq ${options.afterSeq ?? 0}; got ${describeEvents(seen)}`,
      );
    },

    /** The last event seq of a chat (0 before anything happened): a starting point for waitForEvent. */
    async lastSeq(chatId: number): Promise<number> {
      const events = await client.events(chatId);
      return events[events.length - 1]?.seq ?? 0;
    },

    /** The inline button whose text equals the string (or matches the RegExp); throws listing the buttons. */
    findButton(
      message: EmulatorMessage,
      textOrRegex: string | RegExp,
    ): InlineKeyboardButton & { callback_data: string } {
      const markup = message.reply_markup;
      const buttons = markup && 'inline_keyboard' in markup ? markup.inline_keyboard.flat() : [];
      const button = buttons.find((candidate) =>
        typeof textOrRegex === 'string' ? candidate.text === textOrRegex : textOrRegex.test(candidate.text),
      );
      if (!button || button.callback_data === undefined) {
        throw new EmulatorClientError(
          `no callback button ${String(textOrRegex)} on message #${message.message_id}; buttons: ${JSON.stringify(buttons.map((candidate) => candidate.text))}`,
        );
      }
      return button as InlineKeyboardButton & { callback_data: string };
    },

    /** How the bot answered a callback query (answered:false until it does); waits up to waitMs. */
    callbackAnswer: (callbackQueryId: string, options: { waitMs?: number } = {}) =>
      call<CallbackAnswer>(
        'GET',
        `/callback-answers/${encodeURIComponent(callbackQueryId)}${query({ wait: waitSeconds(options.waitMs) })}`,
      ),
  };
  return client;
}

export type EmulatorClient = ReturnType<typeof createEmulatorClient>;
