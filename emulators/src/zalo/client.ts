import type { FaultInput } from '../common/faults';
import { defaultUserId } from './ids';
import type { ZaloBotEvent, ZaloChatMessage, ZaloChatType, ZaloDelivered, ZaloEvent } from './types';

export type { FaultInput } from '../common/faults';
export type {
  ZaloBotEvent,
  ZaloChatMessage,
  ZaloDelivered,
  ZaloEvent,
  ZaloEventName,
  ZaloMessage,
} from './types';

export interface ZaloSendOptions {
  /** Defaults to the chat's resident: { id: userIdOf(chatId), display_name: 'Người dân' }. */
  from?: { id?: string; display_name?: string };
  /** Defaults to the chat's type so far, else 'PRIVATE'. */
  chatType?: ZaloChatType;
}

export interface ZaloPhotoOptions {
  caption?: string;
  /** The link is already stale: downloading it answers 403. */
  expired?: boolean;
  /** How long the link works (default 60,000 ms). */
  expiresInMs?: number;
}

export interface ZaloEmulatorStatus {
  polling: boolean;
  pending_update_count: number;
  webhook_url: string;
  /** The last failed webhook delivery, '' when none failed. */
  webhook_last_error: string;
  chat_count: number;
  media_count: number;
  media_bytes: number;
  fault_count: number;
}

/** A bot action was missing or the emulator said no; the message tells what did arrive. */
export class ZaloEmulatorClientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZaloEmulatorClientError';
  }
}

/** Long polls are cut into slices so one waitFor… never outlives the emulator's 60 s cap. */
const MAX_SLICE_SECONDS = 30;

/**
 * Typed client of the Zalo emulator's control API, for tests, the bench and tools; the same
 * style as the Telegram emulator's client. `url` is the emulator's base URL (ZaloEmulator.url).
 */
export function createZaloEmulatorClient(url: string) {
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
      throw new ZaloEmulatorClientError(`emulator ${method} ${path}: HTTP ${response.status} without JSON`);
    if (!payload.ok)
      throw new ZaloEmulatorClientError(`emulator ${method} ${path}: ${payload.error}: ${payload.message}`);
    return payload.result;
  }

  const chatPath = (chatId: string, rest: string) => `/chats/${encodeURIComponent(chatId)}${rest}`;

  const query = (values: Record<string, string | number | undefined>) => {
    const entries = Object.entries(values).filter(
      (entry): entry is [string, string | number] => entry[1] !== undefined,
    );
    return entries.length === 0
      ? ''
      : `?${new URLSearchParams(entries.map(([key, value]): [string, string] => [key, String(value)]))}`;
  };

  const describeMessages = (messages: ZaloChatMessage[]) =>
    messages.length === 0
      ? 'nothing'
      : messages
          .map(
            (message) =>
              `#${message.seq}: ${JSON.stringify(message.text ?? message.caption ?? `[${message.kind}]`)}`,
          )
          .join(', ');

  const client = {
    url: base,

    /** The `from.id` the bot sees for a chat's resident when a test gives none. */
    userIdOf: (chatId: string): string => defaultUserId(chatId),

    /** A resident's text message (message.text.received). */
    sendText: (chatId: string, text: string, options: ZaloSendOptions = {}) =>
      call<ZaloDelivered>('POST', chatPath(chatId, '/text'), { text, ...options }),

    /** A resident's image (message.image.received); its `photo` URL on the emulator expires. */
    sendPhoto: (
      chatId: string,
      bytes: Uint8Array,
      contentType = 'image/jpeg',
      options: ZaloPhotoOptions = {},
    ) =>
      call<ZaloDelivered & { photo: string }>(
        'POST',
        chatPath(
          chatId,
          `/photo${query({
            caption: options.caption,
            expired: options.expired ? 1 : undefined,
            expiresInMs: options.expiresInMs,
          })}`,
        ),
        bytes,
        { 'content-type': contentType },
      ),

    sendSticker: (chatId: string, options: ZaloSendOptions & { sticker?: string } = {}) =>
      call<ZaloDelivered>('POST', chatPath(chatId, '/sticker'), options),

    /** Voice, video, a file, a location…: Zalo gives bots only message.unsupported.received, no content. */
    sendUnsupported: (chatId: string, options: ZaloSendOptions = {}) =>
      call<ZaloDelivered>('POST', chatPath(chatId, '/unsupported'), options),

    /** Any event, delivered exactly as given (the same one twice tests duplicate delivery). */
    deliverEvent: (event: ZaloEvent | Record<string, unknown>) =>
      call<{ queued: true; pending_update_count: number; chat_id?: string; message_id?: string }>(
        'POST',
        '/updates',
        event,
      ),

    /** Delivers an earlier resident event of the chat again, unchanged. */
    redeliver: (chatId: string, messageId: string) =>
      call<{ message_id: string; user_id: string; chat_id: string }>('POST', chatPath(chatId, '/redeliver'), {
        message_id: messageId,
      }),

    /** What the bot sent to the chat with seq > after, in order; `all` adds the resident's messages. */
    messages: (chatId: string, options: { after?: number; all?: boolean } = {}) =>
      call<ZaloChatMessage[]>(
        'GET',
        chatPath(
          chatId,
          `/messages${query({ after: options.after, from: options.all ? 'all' : undefined })}`,
        ),
      ),

    /** Waits until at least `count` (default 1) bot messages with seq > after exist. */
    async waitForMessages(
      chatId: string,
      options: { after?: number; count?: number; timeoutMs?: number } = {},
    ): Promise<ZaloChatMessage[]> {
      const count = options.count ?? 1;
      const deadline = Date.now() + (options.timeoutMs ?? 5000);
      let messages: ZaloChatMessage[] = [];
      do {
        const wait = Math.min(MAX_SLICE_SECONDS, Math.max(0, (deadline - Date.now()) / 1000));
        messages = await call<ZaloChatMessage[]>(
          'GET',
          chatPath(chatId, `/messages${query({ after: options.after ?? 0, count, wait })}`),
        );
        if (messages.length >= count) return messages;
      } while (Date.now() < deadline);
      throw new ZaloEmulatorClientError(
        `waited ${options.timeoutMs ?? 5000} ms for ${count} bot message(s) in Zalo chat ${chatId} after #${options.after ?? 0}; got ${describeMessages(messages)}`,
      );
    },

    /** The latest bot message of the chat, or undefined. */
    async lastMessage(chatId: string): Promise<ZaloChatMessage | undefined> {
      const messages = await client.messages(chatId);
      return messages[messages.length - 1];
    },

    /** The log of bot actions (messages, chat actions) with seq > after; with waitMs, long-polls for one. */
    events: (chatId: string, options: { after?: number; waitMs?: number } = {}) =>
      call<ZaloBotEvent[]>(
        'GET',
        chatPath(
          chatId,
          `/events${query({ after: options.after ?? 0, wait: options.waitMs === undefined ? undefined : Math.min(60, options.waitMs / 1000) })}`,
        ),
      ),

    /** Whether a getUpdates long poll is waiting right now, the webhook, queue and storage sizes. */
    status: () => call<ZaloEmulatorStatus>('GET', '/status'),

    /**
     * Makes the next `count` matching Bot API calls fail (error_code), answer late (delay_ms) or
     * lose their connection (disconnect); `chatId` limits it to one chat.
     */
    injectFault: (fault: FaultInput) => call<{ fault_id: number }>('POST', '/faults', fault),

    clearFaults: () => call<boolean>('DELETE', '/faults'),

    clearChat: (chatId: string) => call<boolean>('DELETE', chatPath(chatId, '')),

    reset: () => call<boolean>('POST', '/reset'),
  };
  return client;
}

export type ZaloEmulatorClient = ReturnType<typeof createZaloEmulatorClient>;
