import { randomBytes } from 'node:crypto';
import { dropOldest } from '../common/bounded';
import { ChatSignals } from '../common/chat-signals';
import { FaultList } from '../common/faults';
import { Signal } from '../common/signal';
import type {
  BotEvent,
  BotEventType,
  CallbackAnswer,
  EmulatorMessage,
  TelegramChat,
  TelegramUser,
  UploadedFileInfo,
} from './types';

/** Bounds that keep a long-running emulator (npm start, the bench) from growing without limit. */
export const LIMITS = {
  messagesPerChat: 1000,
  eventsPerChat: 1000,
  chats: 10_000,
  pendingUpdates: 10_000,
  callbackQueries: 10_000,
  fileBytesTotal: 200 * 1024 * 1024,
  /** Telegram lets bots download files up to 20 MB. */
  downloadableFileBytes: 20 * 1024 * 1024,
  /** Telegram accepts uploads from bots up to 50 MB (10 MB for photos). */
  uploadBytes: 50 * 1024 * 1024,
  photoUploadBytes: 10 * 1024 * 1024,
} as const;

export const nowSeconds = () => Math.floor(Date.now() / 1000);

export interface StoredFile extends UploadedFileInfo {
  bytes: Buffer;
  contentType: string;
  fileName?: string;
}

export interface ChatState {
  chat: TelegramChat;
  /** The last user seen in this chat (private chats: the resident). */
  lastUser?: TelegramUser;
  /** Every message of the chat, the resident's and the bot's, by id. */
  messages: Map<number, { message: EmulatorMessage; fromBot: boolean }>;
  lastMessageId: number;
  events: BotEvent[];
  lastSeq: number;
  blocked: boolean;
}

export interface Webhook {
  url: string;
  secretToken?: string;
  maxConnections: number;
  lastErrorDate?: number;
  lastErrorMessage?: string;
  /** Changes on every set/delete so an old delivery loop knows to stop. */
  generation: number;
}

export interface CallbackQueryRecord {
  chatId: number;
  answer: CallbackAnswer;
}

const randomId = (bytes: number) => randomBytes(bytes).toString('base64url');

export class EmulatorState {
  pendingUpdates: { update_id: number; [kind: string]: unknown }[] = [];
  lastUpdateId = 0;
  readonly updatesSignal = new Signal();
  /** The getUpdates call now waiting; a newer one terminates it with 409, as Telegram does. */
  activePoll: AbortController | undefined;
  webhook: Webhook | undefined;
  webhookGeneration = 0;
  readonly webhookSignal = new Signal();
  readonly chats = new Map<number, ChatState>();
  readonly files = new Map<string, StoredFile>();
  readonly filesByPath = new Map<string, StoredFile>();
  fileBytes = 0;
  private fileCounter = 0;
  readonly callbackQueries = new Map<string, CallbackQueryRecord>();
  readonly callbackSignal = new Signal();
  private readonly chatSignals = new ChatSignals<number>(LIMITS.chats);
  readonly commands = new Map<string, unknown[]>();
  readonly descriptions = new Map<string, string>();
  readonly shortDescriptions = new Map<string, string>();
  readonly faults = new FaultList();

  reset(): void {
    this.pendingUpdates = [];
    this.chats.clear();
    this.files.clear();
    this.filesByPath.clear();
    this.fileBytes = 0;
    this.callbackQueries.clear();
    this.commands.clear();
    this.descriptions.clear();
    this.shortDescriptions.clear();
    this.faults.clear();
    this.webhook = undefined;
    this.webhookGeneration += 1;
    this.webhookSignal.notify();
    this.chatSignals.notifyAll();
  }

  /** Queues an update for getUpdates or the webhook; assigns update_id when missing. */
  enqueueUpdate(update: Record<string, unknown>): number {
    const given = update.update_id;
    const updateId = typeof given === 'number' && given > this.lastUpdateId ? given : this.lastUpdateId + 1;
    this.lastUpdateId = updateId;
    this.pendingUpdates.push({ ...update, update_id: updateId });
    if (this.pendingUpdates.length > LIMITS.pendingUpdates) this.pendingUpdates.shift();
    this.updatesSignal.notify();
    this.webhookSignal.notify();
    return updateId;
  }

  /**
   * A bot that kept its offset from an earlier emulator run asks for ids this run has not reached:
   * the queued and future updates are numbered from its offset, so none is silently skipped.
   */
  catchUpTo(offset: number): void {
    if (offset <= this.lastUpdateId + 1) return;
    let next = offset;
    for (const update of this.pendingUpdates) {
      update.update_id = next;
      next += 1;
    }
    this.lastUpdateId = next - 1;
  }

  /** Drops every update with an id below `offset` (Telegram's "confirm by offset"). */
  confirmUpdates(offset: number): void {
    if (offset < 0) {
      // A negative offset keeps only the last |offset| updates.
      this.pendingUpdates = this.pendingUpdates.slice(offset);
      return;
    }
    this.pendingUpdates = this.pendingUpdates.filter((update) => update.update_id >= offset);
  }

  chat(chatId: number): ChatState | undefined {
    return this.chats.get(chatId);
  }

  /** Registers a chat the first time a resident writes from it, as Telegram only lets a bot write back then. */
  ensureChat(chat: TelegramChat, user?: TelegramUser): ChatState {
    let state = this.chats.get(chat.id);
    if (!state) {
      state = {
        chat,
        messages: new Map(),
        lastMessageId: 0,
        events: [],
        lastSeq: 0,
        blocked: false,
      };
      this.chats.set(chat.id, state);
      dropOldest(this.chats, LIMITS.chats);
    } else {
      state.chat = { ...state.chat, ...chat };
    }
    if (user) state.lastUser = user;
    return state;
  }

  nextMessageId(chat: ChatState): number {
    chat.lastMessageId += 1;
    return chat.lastMessageId;
  }

  storeMessage(chat: ChatState, message: EmulatorMessage, fromBot: boolean): void {
    chat.messages.set(message.message_id, { message, fromBot });
    if (message.message_id > chat.lastMessageId) chat.lastMessageId = message.message_id;
    dropOldest(chat.messages, LIMITS.messagesPerChat);
    this.chatSignals.notify(chat.chat.id);
  }

  recordEvent(chat: ChatState, type: BotEventType, details: Omit<BotEvent, 'seq' | 'type' | 'date'>): void {
    chat.lastSeq += 1;
    chat.events.push({ seq: chat.lastSeq, type, date: nowSeconds(), ...details });
    if (chat.events.length > LIMITS.eventsPerChat) chat.events.shift();
    this.chatSignals.notify(chat.chat.id);
  }

  clearChat(chatId: number): void {
    const chat = this.chats.get(chatId);
    if (!chat) return;
    // Ids keep increasing after a clear so a waiter's "after" never sees an old id again.
    chat.messages.clear();
    chat.events = [];
    this.chatSignals.notify(chatId);
  }

  /** The signal of a chat, which may not exist yet (a test can wait before the first update). */
  chatActivity(chatId: number): Signal {
    return this.chatSignals.of(chatId);
  }

  /** Stores bytes and returns their Telegram-like identifiers; the oldest files go first beyond the total cap. */
  storeFile(bytes: Buffer, contentType: string, kind: string, fileName?: string): StoredFile {
    this.fileCounter += 1;
    const extension = extensionFor(contentType, fileName);
    const file: StoredFile = {
      file_id: `${kind.slice(0, 2).toUpperCase()}${randomId(24)}`,
      file_unique_id: `AQ${randomId(9)}`,
      file_size: bytes.length,
      file_path: `${folderFor(kind)}/file_${this.fileCounter}${extension}`,
      bytes,
      contentType,
      ...(fileName ? { fileName } : {}),
    };
    this.files.set(file.file_id, file);
    this.filesByPath.set(file.file_path, file);
    this.fileBytes += bytes.length;
    while (this.fileBytes > LIMITS.fileBytesTotal && this.files.size > 1) {
      const oldest = this.files.values().next().value;
      if (!oldest) break;
      this.files.delete(oldest.file_id);
      this.filesByPath.delete(oldest.file_path);
      this.fileBytes -= oldest.bytes.length;
    }
    return file;
  }

  createCallbackQuery(chatId: number): string {
    const id = `${BigInt(`0x${randomBytes(8).toString('hex')}`)}`;
    this.registerCallbackQuery(id, chatId);
    return id;
  }

  registerCallbackQuery(id: string, chatId: number): void {
    this.callbackQueries.set(id, { chatId, answer: { callback_query_id: id, answered: false } });
    dropOldest(this.callbackQueries, LIMITS.callbackQueries);
  }
}

function folderFor(kind: string): string {
  if (kind === 'photo') return 'photos';
  if (kind === 'voice') return 'voice';
  if (kind === 'video' || kind === 'video_note' || kind === 'animation') return 'videos';
  if (kind === 'sticker') return 'stickers';
  if (kind === 'audio') return 'music';
  return 'documents';
}

function extensionFor(contentType: string, fileName?: string): string {
  const fromName = fileName ? /\.[A-Za-z0-9]{1,8}$/.exec(fileName)?.[0] : undefined;
  if (fromName) return fromName.toLowerCase();
  const known: Record<string, string> = {
    'image/jpeg': '.jpg',
    'image/png': '.png',
    'image/webp': '.webp',
    'image/gif': '.gif',
    'image/heic': '.heic',
    'audio/ogg': '.oga',
    'audio/mpeg': '.mp3',
    'video/mp4': '.mp4',
    'application/pdf': '.pdf',
  };
  return known[contentType.split(';')[0]!.trim().toLowerCase()] ?? '';
}

/** Width and height from a PNG, JPEG, GIF or WebP header; undefined for anything else. */
export function imageSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.length >= 24 && bytes.readUInt32BE(0) === 0x89504e47) {
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (bytes.length >= 10 && bytes.toString('ascii', 0, 3) === 'GIF') {
    return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
  }
  if (
    bytes.length >= 30 &&
    bytes.toString('ascii', 0, 4) === 'RIFF' &&
    bytes.toString('ascii', 8, 12) === 'WEBP'
  ) {
    const chunk = bytes.toString('ascii', 12, 16);
    if (chunk === 'VP8X') return { width: 1 + bytes.readUIntLE(24, 3), height: 1 + bytes.readUIntLE(27, 3) };
    if (chunk === 'VP8 ')
      return { width: bytes.readUInt16LE(26) & 0x3fff, height: bytes.readUInt16LE(28) & 0x3fff };
    if (chunk === 'VP8L') {
      const bits = bytes.readUInt32LE(21);
      return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
    }
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let offset = 2;
    while (offset + 9 < bytes.length) {
      if (bytes[offset] !== 0xff) return undefined;
      const marker = bytes[offset + 1]!;
      const length = bytes.readUInt16BE(offset + 2);
      // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
      }
      offset += 2 + length;
    }
  }
  return undefined;
}
