import { waitForUpdates } from '../common/long-poll';
import type { UploadedPart } from '../common/request-body';
import { badRequest, forbidden, TelegramApiError } from './api-error';
import { parseFormattedText } from './formatting';
import { parseReplyMarkup } from './markup';
import { type ChatState, type EmulatorState, imageSize, LIMITS, nowSeconds, type StoredFile } from './state';
import type { EmulatorMessage, MessageEntity, PhotoSize, ReplyMarkup, TelegramUser } from './types';

export const MAX_TEXT_LENGTH = 4096;
export const MAX_CAPTION_LENGTH = 1024;
const MAX_CALLBACK_ANSWER_LENGTH = 200;

export interface MethodContext {
  state: EmulatorState;
  bot: TelegramUser;
  token: string;
  params: Record<string, unknown>;
  files: Map<string, UploadedPart>;
  /** Fires when the HTTP client goes away (grammY aborts its long poll on bot.stop()). */
  abort: AbortSignal;
  /** Starts delivering queued updates to the webhook just set. */
  startWebhook: () => void;
}

type Method = (context: MethodContext) => unknown;

/** The bot identity for a token `<digits>:<secret>`; one bot per emulator is enough for TinBao. */
export function botUserFromToken(token: string): TelegramUser | undefined {
  const match = /^(\d{1,19}):\S+$/.exec(token);
  if (!match) return undefined;
  return { id: Number(match[1]), is_bot: true, first_name: 'TinBao', username: 'tinbao_bot' };
}

export async function callBotMethod(name: string, context: MethodContext): Promise<unknown> {
  const method = METHODS[name.toLowerCase()];
  if (!method) throw new TelegramApiError(404, 'Not Found: method not found');
  return method(context);
}

// ---- parameter helpers -------------------------------------------------------------------

function optionalInteger(params: Record<string, unknown>, name: string): number | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isInteger(number)) throw badRequest(`field "${name}" must be of type Integer`);
  return number;
}

function optionalString(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') throw badRequest(`field "${name}" must be of type String`);
  return value;
}

function optionalBoolean(params: Record<string, unknown>, name: string): boolean | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  return value === true || value === 'true' || value === 1 || value === '1';
}

/** Arrays and objects arrive as JSON strings in query, form and multipart requests. */
function optionalJson(params: Record<string, unknown>, name: string): unknown {
  const value = params[name];
  if (typeof value !== 'string') return value ?? undefined;
  if (value === '') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw badRequest(`can't parse ${name} JSON object`);
  }
}

function chatIdOf(params: Record<string, unknown>): number {
  const value = params.chat_id;
  if (value === undefined || value === null || value === '') throw badRequest('chat_id is empty');
  const number = typeof value === 'number' ? value : Number(value);
  // "@channelusername" and other strings: the emulator knows no public chats.
  if (!Number.isSafeInteger(number)) throw badRequest('chat not found');
  return number;
}

function requireChat(context: MethodContext): ChatState {
  const chat = context.state.chat(chatIdOf(context.params));
  if (!chat) throw badRequest('chat not found');
  return chat;
}

function writableChat(context: MethodContext): ChatState {
  const chat = requireChat(context);
  if (chat.blocked) throw forbidden('bot was blocked by the user');
  return chat;
}

function messageIdOf(params: Record<string, unknown>): number {
  const id = optionalInteger(params, 'message_id');
  if (id === undefined) throw badRequest('message identifier is not specified');
  return id;
}

/** What the bot gets back: Telegram's shape, without the emulator-only fields and non-inline markup. */
function forBot(message: EmulatorMessage): EmulatorMessage {
  const { edited: _edited, parse_mode: _parseMode, reply_markup, ...rest } = message;
  return reply_markup && 'inline_keyboard' in reply_markup ? { ...rest, reply_markup } : rest;
}

function formattedText(
  context: MethodContext,
  field: 'text' | 'caption',
): { text: string; entities: MessageEntity[]; parseMode?: string } | undefined {
  const source = optionalString(context.params, field);
  if (source === undefined) return undefined;
  const parseMode = optionalString(context.params, 'parse_mode');
  const given = optionalJson(context.params, field === 'text' ? 'entities' : 'caption_entities');
  const parsed =
    Array.isArray(given) && parseMode === undefined
      ? { text: source, entities: given as MessageEntity[] }
      : parseFormattedText(source, parseMode);
  return { ...parsed, ...(parseMode ? { parseMode } : {}) };
}

function requireText(context: MethodContext): {
  text: string;
  entities: MessageEntity[];
  parseMode?: string;
} {
  const raw = optionalString(context.params, 'text');
  if (raw === undefined || raw.trim() === '') throw badRequest('message text is empty');
  const formatted = formattedText(context, 'text')!;
  if (formatted.text.trim() === '') throw badRequest('message text is empty');
  if (formatted.text.length > MAX_TEXT_LENGTH) throw badRequest('message is too long');
  return formatted;
}

function optionalCaption(context: MethodContext) {
  const formatted = formattedText(context, 'caption');
  if (formatted && formatted.text.length > MAX_CAPTION_LENGTH)
    throw badRequest('message caption is too long');
  return formatted && formatted.text !== '' ? formatted : undefined;
}

function replyTarget(context: MethodContext, chat: ChatState): EmulatorMessage | undefined {
  const parameters = optionalJson(context.params, 'reply_parameters') as
    | { message_id?: number; allow_sending_without_reply?: boolean }
    | undefined;
  const id = parameters?.message_id ?? optionalInteger(context.params, 'reply_to_message_id');
  if (id === undefined) return undefined;
  const target = chat.messages.get(id)?.message;
  const allowMissing =
    parameters?.allow_sending_without_reply ?? optionalBoolean(context.params, 'allow_sending_without_reply');
  if (!target && !allowMissing) throw badRequest('message to be replied not found');
  if (!target) return undefined;
  const { reply_to_message: _nested, edited: _edited, parse_mode: _parseMode, ...shallow } = target;
  return shallow;
}

function newBotMessage(
  context: MethodContext,
  chat: ChatState,
  content: Partial<EmulatorMessage>,
): EmulatorMessage {
  const replyMarkup = parseReplyMarkup(context.params.reply_markup);
  const replyTo = replyTarget(context, chat);
  const message: EmulatorMessage = {
    message_id: context.state.nextMessageId(chat),
    from: context.bot,
    chat: chat.chat,
    date: nowSeconds(),
    ...(replyTo ? { reply_to_message: replyTo } : {}),
    ...content,
    ...(replyMarkup ? { reply_markup: replyMarkup } : {}),
  };
  context.state.storeMessage(chat, message, true);
  return message;
}

function withFormatted(
  field: 'text' | 'caption',
  formatted: { text: string; entities: MessageEntity[]; parseMode?: string } | undefined,
): Partial<EmulatorMessage> {
  if (!formatted) return {};
  const entitiesField = field === 'text' ? 'entities' : 'caption_entities';
  return {
    [field]: formatted.text,
    ...(formatted.entities.length > 0 ? { [entitiesField]: formatted.entities } : {}),
    ...(formatted.parseMode ? { parse_mode: formatted.parseMode } : {}),
  };
}

/** A file parameter: an upload (attach://<id> or the field itself), or the file_id of a stored file. */
function inputFile(context: MethodContext, field: string, kind: string): StoredFile {
  const value = context.params[field];
  let upload: UploadedPart | undefined;
  if (typeof value === 'string' && value.startsWith('attach://')) {
    upload = context.files.get(value.slice('attach://'.length));
    if (!upload) throw badRequest(`there is no ${field} in the request`);
  } else if (context.files.has(field)) {
    upload = context.files.get(field);
  }
  if (upload) {
    if (upload.bytes.length === 0) throw badRequest('file must be non-empty');
    if (kind === 'photo' && upload.bytes.length > LIMITS.photoUploadBytes) {
      throw new TelegramApiError(413, 'Request Entity Too Large');
    }
    if (kind === 'photo' && !imageSize(upload.bytes)) throw badRequest('IMAGE_PROCESS_FAILED');
    // Telegram re-encodes photos; the emulator keeps the bytes and labels them by what they are.
    const contentType =
      kind === 'photo'
        ? (sniffImageType(upload.bytes) ?? 'image/jpeg')
        : upload.contentType !== 'application/octet-stream'
          ? upload.contentType
          : guessType(upload.fileName);
    return context.state.storeFile(upload.bytes, contentType, kind, upload.fileName);
  }
  if (typeof value !== 'string' || value === '') throw badRequest(`there is no ${field} in the request`);
  const stored = context.state.files.get(value);
  // The emulator does not fetch HTTP URLs: a bot under test sends uploads or file_ids.
  if (!stored) throw badRequest('wrong file identifier/HTTP URL specified');
  return stored;
}

function sniffImageType(bytes: Buffer): string | undefined {
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0x89504e47) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (bytes.length >= 3 && bytes.toString('ascii', 0, 3) === 'GIF') return 'image/gif';
  if (bytes.length >= 12 && bytes.toString('ascii', 8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

function guessType(fileName: string | undefined): string {
  const extension = fileName?.split('.').pop()?.toLowerCase();
  const known: Record<string, string> = {
    pdf: 'application/pdf',
    txt: 'text/plain',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    png: 'image/png',
    json: 'application/json',
  };
  return (extension && known[extension]) || 'application/octet-stream';
}

/** Telegram returns several sizes; the emulator does not resize, so all sizes share the stored file. */
export function photoSizes(file: StoredFile): PhotoSize[] {
  const size = imageSize(file.bytes) ?? { width: 800, height: 600 };
  const scale = Math.min(1, 320 / Math.max(size.width, size.height, 1));
  const base = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size };
  const full = { ...base, width: size.width, height: size.height };
  if (scale >= 1) return [full];
  return [
    {
      ...base,
      width: Math.max(1, Math.round(size.width * scale)),
      height: Math.max(1, Math.round(size.height * scale)),
    },
    full,
  ];
}

function botMessageToEdit(
  context: MethodContext,
  verb: 'edit' | 'delete',
): { chat: ChatState; message: EmulatorMessage } {
  if (context.params.inline_message_id !== undefined && context.params.chat_id === undefined) {
    throw badRequest('MESSAGE_ID_INVALID');
  }
  const chat = requireChat(context);
  const id = messageIdOf(context.params);
  const stored = chat.messages.get(id);
  if (!stored) throw badRequest(`message to ${verb} not found`);
  if (verb === 'edit' && !stored.fromBot) throw badRequest("message can't be edited");
  return { chat, message: stored.message };
}

const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function storeEdit(
  context: MethodContext,
  chat: ChatState,
  message: EmulatorMessage,
  changes: Partial<EmulatorMessage>,
  removeMarkup: boolean,
) {
  const edited: EmulatorMessage = { ...message, ...changes, edit_date: nowSeconds(), edited: true };
  if (removeMarkup) delete edited.reply_markup;
  if (changes.text !== undefined && !changes.entities) delete edited.entities;
  if (changes.caption !== undefined && !changes.caption_entities) delete edited.caption_entities;
  if (changes.parse_mode === undefined && (changes.text !== undefined || changes.caption !== undefined)) {
    delete edited.parse_mode;
  }
  context.state.storeMessage(chat, edited, true);
  return edited;
}

// ---- methods -----------------------------------------------------------------------------

const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

const COMMAND_PATTERN = /^[a-z0-9_]{1,32}$/;

const webhookActive = () =>
  new TelegramApiError(
    409,
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
  );

function commandsKey(context: MethodContext): string {
  const scope = optionalJson(context.params, 'scope') ?? { type: 'default' };
  return `${JSON.stringify(scope)}|${optionalString(context.params, 'language_code') ?? ''}`;
}

const METHODS: Record<string, Method> = {
  getme: ({ bot }) => ({
    ...bot,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  }),

  logout: () => true,
  close: () => true,

  getupdates: async (context) => {
    const { state, params } = context;
    if (state.webhook) throw webhookActive();
    const offset = optionalInteger(params, 'offset');
    const limit = Math.min(100, Math.max(1, optionalInteger(params, 'limit') ?? 100));
    const timeout = Math.max(0, optionalInteger(params, 'timeout') ?? 0);
    if (offset !== undefined) {
      state.catchUpTo(offset);
      state.confirmUpdates(offset);
    }
    const { terminated } = await waitForUpdates(state, timeout * 1000, context.abort);
    if (terminated) {
      throw new TelegramApiError(
        409,
        'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      );
    }
    if (state.webhook) throw webhookActive();
    return state.pendingUpdates.slice(0, limit);
  },

  setwebhook: (context) => {
    const { state, params } = context;
    const url = optionalString(params, 'url') ?? '';
    if (optionalBoolean(params, 'drop_pending_updates')) state.pendingUpdates = [];
    state.webhookGeneration += 1;
    if (url === '') {
      state.webhook = undefined;
      state.webhookSignal.notify();
      return true;
    }
    if (!/^https?:\/\/[^\s/]+/i.test(url))
      throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
    const secretToken = optionalString(params, 'secret_token');
    if (secretToken !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secretToken)) {
      throw badRequest('secret token contains unallowed characters');
    }
    state.webhook = {
      url,
      ...(secretToken ? { secretToken } : {}),
      maxConnections: optionalInteger(params, 'max_connections') ?? 40,
      generation: state.webhookGeneration,
    };
    // A waiting getUpdates must learn at once that polling is over.
    state.updatesSignal.notify();
    state.webhookSignal.notify();
    context.startWebhook();
    return true;
  },

  deletewebhook: ({ state, params }) => {
    if (optionalBoolean(params, 'drop_pending_updates')) state.pendingUpdates = [];
    state.webhook = undefined;
    state.webhookGeneration += 1;
    state.webhookSignal.notify();
    return true;
  },

  getwebhookinfo: ({ state }) => ({
    url: state.webhook?.url ?? '',
    has_custom_certificate: false,
    pending_update_count: state.pendingUpdates.length,
    ...(state.webhook
      ? {
          max_connections: state.webhook.maxConnections,
          ...(state.webhook.lastErrorDate
            ? {
                last_error_date: state.webhook.lastErrorDate,
                last_error_message: state.webhook.lastErrorMessage,
              }
            : {}),
        }
      : {}),
  }),

  sendmessage: (context) => {
    const chat = writableChat(context);
    const formatted = requireText(context);
    const message = newBotMessage(context, chat, withFormatted('text', formatted));
    context.state.recordEvent(chat, 'sendMessage', {
      message_id: message.message_id,
      text: message.text!,
      ...(message.reply_markup ? { reply_markup: message.reply_markup } : {}),
    });
    return forBot(message);
  },

  sendphoto: (context) => {
    const chat = writableChat(context);
    const caption = optionalCaption(context);
    const file = inputFile(context, 'photo', 'photo');
    const message = newBotMessage(context, chat, {
      photo: photoSizes(file),
      ...withFormatted('caption', caption),
    });
    context.state.recordEvent(chat, 'sendPhoto', {
      message_id: message.message_id,
      ...(message.caption !== undefined ? { text: message.caption } : {}),
      ...(message.reply_markup ? { reply_markup: message.reply_markup } : {}),
    });
    return forBot(message);
  },

  senddocument: (context) => {
    const chat = writableChat(context);
    const caption = optionalCaption(context);
    const file = inputFile(context, 'document', 'document');
    const document = {
      file_id: file.file_id,
      file_unique_id: file.file_unique_id,
      file_size: file.file_size,
      mime_type: file.contentType,
      ...(file.fileName ? { file_name: file.fileName } : {}),
    };
    const message = newBotMessage(context, chat, { document, ...withFormatted('caption', caption) });
    context.state.recordEvent(chat, 'sendDocument', {
      message_id: message.message_id,
      ...(message.caption !== undefined ? { text: message.caption } : {}),
      ...(message.reply_markup ? { reply_markup: message.reply_markup } : {}),
    });
    return forBot(message);
  },

  editmessagetext: (context) => {
    const { chat, message } = botMessageToEdit(context, 'edit');
    if (message.text === undefined) throw badRequest('there is no text in the message to edit');
    const formatted = requireText(context);
    // Telegram drops the inline keyboard when an edit does not repeat it.
    const markup = parseReplyMarkup(context.params.reply_markup, { inlineOnly: true });
    if (
      formatted.text === message.text &&
      sameJson(formatted.entities.length > 0 ? formatted.entities : undefined, message.entities) &&
      sameJson(markup, message.reply_markup)
    ) {
      throw badRequest(NOT_MODIFIED);
    }
    const edited = storeEdit(
      context,
      chat,
      message,
      { ...withFormatted('text', formatted), ...(markup ? { reply_markup: markup } : {}) },
      markup === undefined,
    );
    context.state.recordEvent(chat, 'editMessageText', {
      message_id: edited.message_id,
      text: edited.text!,
      ...(edited.reply_markup ? { reply_markup: edited.reply_markup } : {}),
    });
    return forBot(edited);
  },

  editmessagecaption: (context) => {
    const { chat, message } = botMessageToEdit(context, 'edit');
    if (message.text !== undefined) throw badRequest('there is no caption in the message to edit');
    const caption = optionalCaption(context);
    const markup = parseReplyMarkup(context.params.reply_markup, { inlineOnly: true });
    if (caption?.text === message.caption && sameJson(markup, message.reply_markup))
      throw badRequest(NOT_MODIFIED);
    const edited = storeEdit(
      context,
      chat,
      message,
      {
        ...withFormatted('caption', caption ?? { text: '', entities: [] }),
        ...(markup ? { reply_markup: markup } : {}),
      },
      markup === undefined,
    );
    if (!caption) delete edited.caption;
    context.state.recordEvent(chat, 'editMessageCaption', {
      message_id: edited.message_id,
      ...(edited.caption !== undefined ? { text: edited.caption } : {}),
      ...(edited.reply_markup ? { reply_markup: edited.reply_markup } : {}),
    });
    return forBot(edited);
  },

  editmessagereplymarkup: (context) => {
    const { chat, message } = botMessageToEdit(context, 'edit');
    const markup = parseReplyMarkup(context.params.reply_markup, { inlineOnly: true });
    const current =
      message.reply_markup && 'inline_keyboard' in message.reply_markup ? message.reply_markup : undefined;
    if (sameJson(markup, current)) throw badRequest(NOT_MODIFIED);
    const edited = storeEdit(
      context,
      chat,
      message,
      markup ? { reply_markup: markup } : {},
      markup === undefined,
    );
    context.state.recordEvent(chat, 'editMessageReplyMarkup', {
      message_id: edited.message_id,
      ...(edited.reply_markup ? { reply_markup: edited.reply_markup } : {}),
    });
    return forBot(edited);
  },

  deletemessage: (context) => {
    const { chat, message } = botMessageToEdit(context, 'delete');
    chat.messages.delete(message.message_id);
    context.state.recordEvent(chat, 'deleteMessage', { message_id: message.message_id });
    return true;
  },

  answercallbackquery: (context) => {
    const { state, params } = context;
    const id = optionalString(params, 'callback_query_id');
    const record = id === undefined ? undefined : state.callbackQueries.get(id);
    if (!record || record.answer.answered) {
      throw badRequest('query is too old and response timeout expired or query ID is invalid');
    }
    const text = optionalString(params, 'text');
    if (text !== undefined && text.length > MAX_CALLBACK_ANSWER_LENGTH) throw badRequest('MESSAGE_TOO_LONG');
    const showAlert = optionalBoolean(params, 'show_alert');
    const url = optionalString(params, 'url');
    const cacheTime = optionalInteger(params, 'cache_time');
    record.answer = {
      callback_query_id: record.answer.callback_query_id,
      answered: true,
      ...(text !== undefined ? { text } : {}),
      ...(showAlert !== undefined ? { show_alert: showAlert } : {}),
      ...(url !== undefined ? { url } : {}),
      ...(cacheTime !== undefined ? { cache_time: cacheTime } : {}),
    };
    state.callbackSignal.notify();
    const chat = state.chat(record.chatId);
    if (chat) {
      state.recordEvent(chat, 'answerCallbackQuery', {
        callback_query_id: record.answer.callback_query_id,
        ...(text !== undefined ? { text } : {}),
        ...(showAlert !== undefined ? { show_alert: showAlert } : {}),
      });
    }
    return true;
  },

  sendchataction: (context) => {
    writableChat(context);
    const action = optionalString(context.params, 'action');
    if (!action || !CHAT_ACTIONS.has(action)) throw badRequest('wrong parameter action in request');
    return true;
  },

  setmycommands: (context) => {
    const commands = optionalJson(context.params, 'commands');
    if (!Array.isArray(commands)) throw badRequest('parameter "commands" must be an array');
    if (commands.length > 100) throw badRequest('too many commands');
    const cleaned = commands.map((entry) => {
      const command = (entry as { command?: unknown })?.command;
      const description = (entry as { description?: unknown })?.description;
      if (typeof command !== 'string' || !COMMAND_PATTERN.test(command.replace(/^\//, ''))) {
        throw badRequest('BOT_COMMAND_INVALID');
      }
      if (typeof description !== 'string' || description.trim() === '' || description.length > 256) {
        throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
      }
      return { command: command.replace(/^\//, ''), description };
    });
    context.state.commands.set(commandsKey(context), cleaned);
    return true;
  },

  getmycommands: (context) => context.state.commands.get(commandsKey(context)) ?? [],

  deletemycommands: (context) => {
    context.state.commands.delete(commandsKey(context));
    return true;
  },

  setmydescription: (context) => {
    const description = optionalString(context.params, 'description') ?? '';
    if (description.length > 512) throw badRequest('BOT_ABOUT_INVALID');
    context.state.descriptions.set(optionalString(context.params, 'language_code') ?? '', description);
    return true;
  },

  getmydescription: (context) => ({
    description: context.state.descriptions.get(optionalString(context.params, 'language_code') ?? '') ?? '',
  }),

  setmyshortdescription: (context) => {
    const description = optionalString(context.params, 'short_description') ?? '';
    if (description.length > 120) throw badRequest('BOT_ABOUT_INVALID');
    context.state.shortDescriptions.set(optionalString(context.params, 'language_code') ?? '', description);
    return true;
  },

  getmyshortdescription: (context) => ({
    short_description:
      context.state.shortDescriptions.get(optionalString(context.params, 'language_code') ?? '') ?? '',
  }),

  getmyname: () => ({ name: 'TinBao' }),
  setmyname: () => true,
  setchatmenubutton: () => true,
  getchatmenubutton: () => ({ type: 'commands' }),

  getfile: ({ state, params }) => {
    const id = optionalString(params, 'file_id');
    if (!id) throw badRequest('file_id is empty');
    const file = state.files.get(id);
    if (!file) throw badRequest('invalid file_id');
    if (file.file_size > LIMITS.downloadableFileBytes) throw badRequest('file is too big');
    return {
      file_id: file.file_id,
      file_unique_id: file.file_unique_id,
      file_size: file.file_size,
      file_path: file.file_path,
    };
  },

  getchat: (context) => {
    const { chat, lastUser } = requireChat(context);
    return {
      id: chat.id,
      type: chat.type,
      ...(chat.type === 'private'
        ? { first_name: chat.first_name ?? lastUser?.first_name ?? 'Người dân' }
        : { title: chat.title ?? 'Nhóm' }),
      accent_color_id: 0,
      max_reaction_count: 11,
      accepted_gift_types: {
        unlimited_gifts: false,
        limited_gifts: false,
        unique_gifts: false,
        premium_subscription: false,
      },
    };
  },
};

export type { ReplyMarkup };
