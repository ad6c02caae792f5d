import { dropOldest } from '../common/bounded';
import { ChatSignals } from '../common/chat-signals';
import { FaultList } from '../common/faults';
import { Signal } from '../common/signal';
import { randomHex } from './ids';
import type { ZaloBotEvent, ZaloBotEventType, ZaloChat, ZaloChatMessage, ZaloEvent, ZaloUser } from './types';

/** Bounds that keep a long-running emulator (npm start, the bench) from growing without limit. */
export const ZALO_LIMITS = {
  messagesPerChat: 1000,
  eventsPerChat: 1000,
  chats: 10_000,
  pendingUpdates: 10_000,
  mediaFiles: 10_000,
  mediaBytesTotal: 200 * 1024 * 1024,
  /** Per image from the control API. */
  uploadBytes: 20 * 1024 * 1024,
  /** Zalo's limit for a bot's message text. */
  textLength: 2000,
  /** A resident's text through the control API (a memory bound, not Zalo's). */
  residentTextLength: 10_000,
} as const;

export interface ChatRecord {
  message: ZaloChatMessage;
  /** The resident's messages: the event as it was delivered, for redelivery. */
  event?: ZaloEvent;
}

export interface ZaloChatState {
  chat: ZaloChat;
  /** The last resident seen in this chat. */
  user?: ZaloUser;
  records: ChatRecord[];
  lastSeq: number;
  events: ZaloBotEvent[];
  lastEventSeq: number;
}

export interface ZaloWebhook {
  url: string;
  secretToken: string;
  updatedAt: number;
  /** Changes on every set/delete so an old delivery loop knows to stop. */
  generation: number;
  lastErrorDate?: number;
  lastErrorMessage?: string;
}

export interface StoredMedia {
  bytes: Buffer;
  contentType: string;
  /** Unix ms after which the public URL answers 403, like a stale CDN link. */
  expiresAt: number;
}

/** A queued update; the wrapper keeps two deliveries of one event apart. */
export interface QueuedEvent {
  event: ZaloEvent;
}

export class ZaloState {
  pendingUpdates: QueuedEvent[] = [];
  readonly updatesSignal = new Signal();
  /** The getUpdates call now waiting; a newer one ends it with 409. */
  activePoll: AbortController | undefined;
  webhook: ZaloWebhook | undefined;
  webhookGeneration = 0;
  /** When the webhook was last set or deleted (getWebhookInfo's updated_at). */
  webhookUpdatedAt = 0;
  readonly webhookSignal = new Signal();
  readonly chats = new Map<string, ZaloChatState>();
  private readonly chatSignals = new ChatSignals<string>(ZALO_LIMITS.chats);
  readonly media = new Map<string, StoredMedia>();
  mediaBytes = 0;
  readonly faults = new FaultList();
  /** The emulator's own URL, the base of the media links; set once it listens. */
  baseUrl = '';

  reset(): void {
    this.pendingUpdates = [];
    this.chats.clear();
    this.media.clear();
    this.mediaBytes = 0;
    this.faults.clear();
    this.webhook = undefined;
    this.webhookGeneration += 1;
    this.webhookUpdatedAt = 0;
    this.webhookSignal.notify();
    this.updatesSignal.notify();
    this.chatSignals.notifyAll();
  }

  enqueue(event: ZaloEvent): void {
    this.pendingUpdates.push({ event });
    if (this.pendingUpdates.length > ZALO_LIMITS.pendingUpdates) this.pendingUpdates.shift();
    this.updatesSignal.notify();
    this.webhookSignal.notify();
  }

  chat(chatId: string): ZaloChatState | undefined {
    return this.chats.get(chatId);
  }

  /** Registers a chat the first time a resident writes from it: only then may the bot write there. */
  ensureChat(chat: ZaloChat, user?: ZaloUser): ZaloChatState {
    let state = this.chats.get(chat.id);
    if (!state) {
      state = { chat, records: [], lastSeq: 0, events: [], lastEventSeq: 0 };
      this.chats.set(chat.id, state);
      dropOldest(this.chats, ZALO_LIMITS.chats);
    }
    if (user) state.user = user;
    return state;
  }

  /** Adds a message to the chat's history with the next seq. */
  appendMessage(
    chat: ZaloChatState,
    message: Omit<ZaloChatMessage, 'seq'>,
    event?: ZaloEvent,
  ): ZaloChatMessage {
    chat.lastSeq += 1;
    const stored: ZaloChatMessage = { seq: chat.lastSeq, ...message };
    chat.records.push({ message: stored, ...(event ? { event } : {}) });
    if (chat.records.length > ZALO_LIMITS.messagesPerChat) chat.records.shift();
    this.chatSignals.notify(chat.chat.id);
    return stored;
  }

  recordEvent(
    chat: ZaloChatState,
    type: ZaloBotEventType,
    details: Omit<ZaloBotEvent, 'seq' | 'type' | 'date'>,
  ) {
    chat.lastEventSeq += 1;
    chat.events.push({ seq: chat.lastEventSeq, type, date: Date.now(), ...details });
    if (chat.events.length > ZALO_LIMITS.eventsPerChat) chat.events.shift();
    this.chatSignals.notify(chat.chat.id);
  }

  clearChat(chatId: string): void {
    const chat = this.chats.get(chatId);
    if (!chat) return;
    // Seqs keep increasing after a clear so a waiter's "after" never sees an old one again.
    chat.records = [];
    chat.events = [];
    this.chatSignals.notify(chatId);
  }

  /** The signal of a chat, which may not exist yet (a test can wait before the first event). */
  chatActivity(chatId: string): Signal {
    return this.chatSignals.of(chatId);
  }

  /** Keeps image bytes under a random name; the oldest go first beyond the bounds. */
  storeMedia(bytes: Buffer, contentType: string, expiresAt: number): string {
    const name = `${randomHex(16)}.jpg`;
    this.media.set(name, { bytes, contentType, expiresAt });
    this.mediaBytes += bytes.length;
    while (
      (this.mediaBytes > ZALO_LIMITS.mediaBytesTotal || this.media.size > ZALO_LIMITS.mediaFiles) &&
      this.media.size > 1
    ) {
      const [oldestName, oldest] = this.media.entries().next().value ?? [];
      if (!oldestName || !oldest) break;
      this.media.delete(oldestName);
      this.mediaBytes -= oldest.bytes.length;
    }
    return name;
  }

  mediaUrl(name: string): string {
    return `${this.baseUrl}/_zalo-media/${name}`;
  }
}
