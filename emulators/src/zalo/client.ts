import { createControlClient } from '../common/control-client';
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

/**
 * Typed client of the Zalo emulator's control API, for tests, the bench and tools; the same
 * style as the Telegram emulator's client. `url` is the emulator's base URL (ZaloEmulator.url).
 */
export function createZaloEmulatorClient(url: string) {
  const { call, chatPath, query, shared } = createControlClient<
    string,
    ZaloChatMessage,
    ZaloBotEvent,
    ZaloEmulatorStatus
  >(url, {
    error: ZaloEmulatorClientError,
    chatLabel: 'Zalo chat',
    describeMessage: (message) =>
      `#${message.seq}: ${JSON.stringify(message.text ?? message.caption ?? `[${message.kind}]`)}`,
  });

  const client = {
    ...shared,

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
  };
  return client;
}

export type ZaloEmulatorClient = ReturnType<typeof createZaloEmulatorClient>;
