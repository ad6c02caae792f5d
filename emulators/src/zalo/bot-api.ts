import { BotApiError } from '../common/api-error';
import { waitForUpdates } from '../common/long-poll';
import { randomHex } from './ids';
import { ZALO_LIMITS, type ZaloChatState, type ZaloState } from './state';
import type { ZaloEvent } from './types';

export interface ZaloMethodContext {
  state: ZaloState;
  botId: string;
  params: Record<string, unknown>;
  /** Fires when the HTTP client goes away or the emulator closes. */
  abort: AbortSignal;
  /** Starts delivering queued updates to the webhook just set. */
  startWebhook: () => void;
}

type Method = (context: ZaloMethodContext) => unknown;

const DEFAULT_POLL_SECONDS = 30;
const MAX_POLL_SECONDS = 60;
const CHAT_ACTIONS = new Set(['typing', 'upload_photo']);

export const badRequest = (description: string) => new BotApiError(400, description);

/** The bot id of a token `{bot_id}:{access_token}`, or undefined for anything else. */
export function botIdFromToken(token: string): string | undefined {
  return /^(\d{1,20}):[A-Za-z0-9_-]{1,512}$/.exec(token)?.[1];
}

export async function callZaloMethod(name: string, context: ZaloMethodContext): Promise<unknown> {
  const method = METHODS[name.toLowerCase()];
  if (!method) throw new BotApiError(404, 'Not Found');
  return method(context);
}

// ---- parameter helpers -------------------------------------------------------------------

function optionalString(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') throw badRequest(`${name} must be a string`);
  return value;
}

function requireChat(context: ZaloMethodContext): ZaloChatState {
  const chatId = optionalString(context.params, 'chat_id');
  if (chatId === undefined || chatId === '') throw badRequest('chat_id is required');
  const chat = context.state.chat(chatId);
  if (!chat) throw badRequest('chat not found');
  return chat;
}

function requireText(params: Record<string, unknown>): string {
  const text = optionalString(params, 'text');
  if (text === undefined || text.trim() === '') throw badRequest('text is empty');
  // Zalo counts characters; JS string length (UTF-16 units) is close enough for Vietnamese text.
  if (text.length > ZALO_LIMITS.textLength) throw badRequest('text is too long');
  return text;
}

function pollSeconds(params: Record<string, unknown>): number {
  const raw = params.timeout;
  if (raw === undefined || raw === null || raw === '') return DEFAULT_POLL_SECONDS;
  const seconds = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : Number.NaN;
  if (!Number.isFinite(seconds) || seconds < 0) throw badRequest('timeout must be a non-negative number');
  return Math.min(seconds, MAX_POLL_SECONDS);
}

function botMessage(
  context: ZaloMethodContext,
  chat: ZaloChatState,
  content: {
    kind: 'text' | 'photo' | 'sticker';
    text?: string;
    photo?: string;
    caption?: string;
    sticker?: string;
  },
) {
  const message = context.state.appendMessage(chat, {
    message_id: randomHex(16),
    from_bot: true,
    date: Date.now(),
    ...content,
  });
  return message;
}

const webhookInfo = (state: ZaloState) => ({
  url: state.webhook?.url ?? '',
  updated_at: state.webhook?.updatedAt ?? state.webhookUpdatedAt,
});

// ---- methods -----------------------------------------------------------------------------

const METHODS: Record<string, Method> = {
  getme: ({ botId }) => ({
    id: botId,
    account_name: 'bot.tinbao',
    account_type: 'BASIC',
    can_join_groups: false,
    display_name: 'TinBao',
  }),

  /** One update per call, consumed when returned (Zalo has no offset); 408 when none came in time. */
  getupdates: async (context): Promise<ZaloEvent> => {
    const { state } = context;
    const conflict = () => new BotApiError(409, 'Conflict: webhook is active');
    if (state.webhook) throw conflict();
    const seconds = pollSeconds(context.params);
    const { terminated } = await waitForUpdates(state, seconds * 1000, context.abort);
    if (terminated) throw new BotApiError(409, 'Conflict: terminated by other getUpdates request');
    if (state.webhook) throw conflict();
    // A client that left must not take an update with it.
    if (context.abort.aborted) throw new BotApiError(499, 'Client Closed Request');
    const next = state.pendingUpdates.shift();
    if (!next) throw new BotApiError(408, 'Request timeout');
    return next.event;
  },

  setwebhook: (context) => {
    const { state, params } = context;
    const url = optionalString(params, 'url') ?? '';
    if (!/^https?:\/\/[^\s/]+/i.test(url) || url.length > 2048) throw badRequest('url is invalid');
    const secretToken = optionalString(params, 'secret_token') ?? '';
    if (secretToken.length < 8 || secretToken.length > 256) {
      throw badRequest('secret_token must be 8 to 256 characters');
    }
    state.webhookGeneration += 1;
    state.webhookUpdatedAt = Date.now();
    state.webhook = {
      url,
      secretToken,
      updatedAt: state.webhookUpdatedAt,
      generation: state.webhookGeneration,
    };
    // A waiting getUpdates must learn at once that polling is over.
    state.updatesSignal.notify();
    state.webhookSignal.notify();
    context.startWebhook();
    return webhookInfo(state);
  },

  deletewebhook: ({ state }) => {
    state.webhook = undefined;
    state.webhookGeneration += 1;
    state.webhookUpdatedAt = Date.now();
    state.webhookSignal.notify();
    return webhookInfo(state);
  },

  getwebhookinfo: ({ state }) => webhookInfo(state),

  sendmessage: (context) => {
    const chat = requireChat(context);
    const text = requireText(context.params);
    const message = botMessage(context, chat, { kind: 'text', text });
    context.state.recordEvent(chat, 'sendMessage', { message_id: message.message_id, text });
    return { message_id: message.message_id, date: message.date };
  },

  /** The photo is a URL Zalo would fetch; the emulator stores it as given and fetches nothing. */
  sendphoto: (context) => {
    const chat = requireChat(context);
    const photo = optionalString(context.params, 'photo') ?? '';
    if (!/^https?:\/\/[^\s/]+/i.test(photo) || photo.length > 2048) throw badRequest('photo is invalid');
    const caption = optionalString(context.params, 'caption');
    if (caption !== undefined && caption.length > ZALO_LIMITS.textLength) {
      throw badRequest('caption is too long');
    }
    const message = botMessage(context, chat, {
      kind: 'photo',
      photo,
      ...(caption ? { caption } : {}),
    });
    context.state.recordEvent(chat, 'sendPhoto', {
      message_id: message.message_id,
      ...(caption ? { text: caption } : {}),
    });
    return { message_id: message.message_id, date: message.date };
  },

  sendsticker: (context) => {
    const chat = requireChat(context);
    const sticker = optionalString(context.params, 'sticker') ?? '';
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(sticker)) throw badRequest('sticker is invalid');
    const message = botMessage(context, chat, { kind: 'sticker', sticker });
    context.state.recordEvent(chat, 'sendSticker', { message_id: message.message_id });
    return { message_id: message.message_id, date: message.date };
  },

  sendchataction: (context) => {
    const chat = requireChat(context);
    const action = optionalString(context.params, 'action') ?? '';
    if (!CHAT_ACTIONS.has(action)) throw badRequest('action is invalid');
    context.state.recordEvent(chat, 'sendChatAction', { action });
    return true;
  },
};
