import type { FaultInput } from '../common/faults';
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

/** Long polls are cut into slices so one waitFor… never outlives the emulator's 60 s cap. */
const MAX_SLICE_SECONDS = 30;

/**
 * Typed client of the emulator's control API, for tests, the bench and tools. `url` is the
 * emulator's base URL (TelegramEmulator.url).
 */
export function createEmulatorClient(url: string) {
  const base = url.replace(/\/+$/, '');

  async function call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const isBytes = body instanceof Uint8Array;
    const response = await fetch(`${base}/_emulator${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body:
        body === undefined ? undefined : isBytes ? (body as Uint8Array<ArrayBuffer>) : JSON.stringify(body),
    });
    const payload = (await response.json().catch(() => undefined)) as
      | { ok: true; result: T }
      | { ok: false; error: string; message: string }
      | undefined;
    if (!payload)
      throw new EmulatorClientError(`emulator ${method} ${path}: HTTP ${response.status} without JSON`);
    if (!payload.ok)
      throw new EmulatorClientError(`emulator ${method} ${path}: ${payload.error}: ${payload.message}`);
    return payload.result;
  }

  const chatPath = (chatId: number, rest: string) => `/chats/${encodeURIComponent(String(chatId))}${rest}`;

  const query = (values: Record<string, number | undefined>) => {
    const entries = Object.entries(values).filter(
      (entry): entry is [string, number] => entry[1] !== undefined,
    );
    return entries.length === 0
      ? ''
      : `?${new URLSearchParams(entries.map(([key, value]): [string, string] => [key, String(value)]))}`;
  };

  const describeMessages = (messages: EmulatorMessage[]) =>
    messages.length === 0
      ? 'nothing'
      : messages
          .map(
            (message) =>
              `#${message.message_id}${message.edited ? ' (edited)' : ''}: ${JSON.stringify(message.text ?? message.caption ?? (message.photo ? '[photo]' : '[other]'))}`,
          )
          .join(', ');

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
    url: base,

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

    /** What the bot sent to the chat (current state after edits), ordered by message_id. */
    messages: (chatId: number, options: { after?: number } = {}) =>
      call<EmulatorMessage[]>('GET', chatPath(chatId, `/messages${query({ after: options.after })}`)),

    /** Waits until at least `count` (default 1) bot messages with message_id > after exist. */
    async waitForMessages(
      chatId: number,
      options: { after?: number; count?: number; timeoutMs?: number } = {},
    ): Promise<EmulatorMessage[]> {
      const count = options.count ?? 1;
      const deadline = Date.now() + (options.timeoutMs ?? 5000);
      let messages: EmulatorMessage[] = [];
      do {
        const wait = Math.min(MAX_SLICE_SECONDS, Math.max(0, (deadline - Date.now()) / 1000));
        messages = await call<EmulatorMessage[]>(
          'GET',
          chatPath(chatId, `/messages${query({ after: options.after ?? 0, count, wait })}`),
        );
        if (messages.length >= count) return messages;
      } while (Date.now() < deadline);
      throw new EmulatorClientError(
        `waited ${options.timeoutMs ?? 5000} ms for ${count} bot message(s) in chat ${chatId} after #${options.after ?? 0}; got ${describeMessages(messages)}`,
      );
    },

    /** The log of bot actions with seq > after; with waitMs, long-polls until there is one. */
    events: (chatId: number, options: { after?: number; waitMs?: number } = {}) =>
      call<BotEvent[]>(
        'GET',
        chatPath(
          chatId,
          `/events${query({ after: options.after ?? 0, wait: options.waitMs === undefined ? undefined : Math.min(60, options.waitMs / 1000) })}`,
        ),
      ),

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
        const wait = Math.min(MAX_SLICE_SECONDS, Math.max(0, (deadline - Date.now()) / 1000));
        const events = await call<BotEvent[]>('GET', chatPath(chatId, `/events${query({ after, wait })}`));
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

    /** The latest bot message of the chat, or undefined. */
    async lastMessage(chatId: number): Promise<EmulatorMessage | undefined> {
      const messages = await client.messages(chatId);
      return messages[messages.length - 1];
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
        `/callback-answers/${encodeURIComponent(callbackQueryId)}${query({ wait: options.waitMs === undefined ? undefined : Math.min(60, options.waitMs / 1000) })}`,
      ),

    /** Whether a getUpdates long poll is waiting right now, and queue and storage sizes. */
    status: () => call<EmulatorStatus>('GET', '/status'),

    /**
     * Makes the next `count` matching Bot API calls fail (error_code, e.g. 429 with retry_after, 502),
     * answer late (delay_ms) or lose their connection (disconnect).
     */
    injectFault: (fault: FaultInput) => call<{ fault_id: number }>('POST', '/faults', fault),

    clearFaults: () => call<boolean>('DELETE', '/faults'),

    clearChat: (chatId: number) => call<boolean>('DELETE', chatPath(chatId, '')),

    reset: () => call<boolean>('POST', '/reset'),
  };
  return client;
}

export type EmulatorClient = ReturnType<typeof createEmulatorClient>;
