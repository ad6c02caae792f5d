import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { asyncRoute, ControlError, MAX_WAIT_SECONDS, numberQuery, readUpload } from '../common/control';
import {
  captionQuery,
  imageContentType,
  readImage,
  residentText,
  controlRouter as sharedControlRouter,
} from '../common/control-api';
import { readBotApiParams } from '../common/request-body';
import { sendStoredImage } from '../common/send-image';
import { exchangeAbortSignal, waitUntil } from '../common/signal';
import { MAX_CAPTION_LENGTH, MAX_TEXT_LENGTH, photoSizes } from './bot-api';
import { type EmulatorState, LIMITS, nowSeconds } from './state';
import type { EmulatorMessage, OtherMessageKind, TelegramChat, TelegramUser } from './types';
import { commandEntities, deliverUpdate } from './updates';

const FromSchema = z.object({
  id: z.number().int().positive(),
  first_name: z.string().min(1).max(64),
  last_name: z.string().max(64).optional(),
  username: z.string().max(32).optional(),
  language_code: z.string().max(8).optional(),
});

const ChatTypeSchema = z.enum(['private', 'group', 'supergroup']).optional();

const TextBodySchema = z.object({
  text: z.string(),
  from: FromSchema.optional(),
  chatType: ChatTypeSchema,
});

const CallbackBodySchema = z.object({
  messageId: z.number().int().positive(),
  data: z.string(),
  from: FromSchema.optional(),
  chatType: ChatTypeSchema,
});

const LocationBodySchema = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  from: FromSchema.optional(),
  chatType: ChatTypeSchema,
});

const OtherBodySchema = z.object({
  caption: z.string().max(MAX_CAPTION_LENGTH).optional(),
  from: FromSchema.optional(),
  chatType: ChatTypeSchema,
});

const BlockBodySchema = z.object({ blocked: z.boolean() });

export const OTHER_KINDS: readonly OtherMessageKind[] = [
  'sticker',
  'voice',
  'video',
  'document',
  'audio',
  'animation',
  'video_note',
  'contact',
];

function chatIdParam(request: Request): number {
  const chatId = Number(request.params.chatId);
  if (!Number.isSafeInteger(chatId) || chatId === 0) {
    throw new ControlError(400, 'invalid_chat_id', 'chatId must be a non-zero integer');
  }
  return chatId;
}

/** The chat and sender a resident's message comes from; private chats default to the resident themself. */
function senderOf(
  chatId: number,
  body: { from?: z.infer<typeof FromSchema>; chatType?: 'private' | 'group' | 'supergroup' },
): { chat: TelegramChat; from: TelegramUser } {
  const type = body.chatType ?? (chatId > 0 ? 'private' : 'group');
  if (type === 'private' && chatId < 0) {
    throw new ControlError(400, 'invalid_chat_id', 'a private chat has a positive chatId');
  }
  if (type !== 'private' && chatId > 0)
    throw new ControlError(400, 'invalid_chat_id', 'a group chat has a negative chatId');
  const from: TelegramUser = {
    is_bot: false,
    language_code: 'vi',
    ...(body.from ??
      (type === 'private'
        ? { id: chatId, first_name: 'Người dân' }
        : { id: 1_000_001, first_name: 'Cán bộ' })),
  };
  const chat: TelegramChat =
    type === 'private'
      ? { id: chatId, type, first_name: from.first_name }
      : { id: chatId, type, title: 'Nhóm thử nghiệm' };
  return { chat, from };
}

function fakeFile(state: EmulatorState, kind: OtherMessageKind) {
  const mime: Record<OtherMessageKind, string> = {
    sticker: 'image/webp',
    voice: 'audio/ogg',
    video: 'video/mp4',
    document: 'application/pdf',
    audio: 'audio/mpeg',
    animation: 'video/mp4',
    video_note: 'video/mp4',
    contact: 'text/plain',
  };
  const file = state.storeFile(Buffer.from(`emulator ${kind}`), mime[kind], kind);
  const base = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size };
  switch (kind) {
    case 'sticker':
      return {
        ...base,
        type: 'regular',
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
        emoji: '👍',
      };
    case 'voice':
      return { ...base, duration: 3, mime_type: mime.voice };
    case 'video':
    case 'animation':
      return { ...base, width: 640, height: 480, duration: 5, mime_type: mime[kind] };
    case 'video_note':
      return { ...base, length: 240, duration: 3 };
    case 'audio':
      return { ...base, duration: 30, mime_type: mime.audio };
    default:
      return { ...base, file_name: 'tai-lieu.pdf', mime_type: mime.document };
  }
}

/** The Telegram emulator's control API: its own routes before the ones both emulators share. */
export function controlRouter(state: EmulatorState, closing: AbortSignal): Router {
  return sharedControlRouter(
    {
      state,
      chatIdParam,
      chatSummary: (chatId) => {
        const chat = state.chat(chatId);
        return (
          chat && {
            chat: chat.chat,
            blocked: chat.blocked,
            last_message_id: chat.lastMessageId,
            last_seq: chat.lastSeq,
          }
        );
      },
      chatNotFound: 'no update has come from this chat yet',
      messagesAfter: (chatId, after, everyone) =>
        [...(state.chat(chatId)?.messages.values() ?? [])]
          .filter((entry) => (everyone || entry.fromBot) && entry.message.message_id > after)
          .map((entry) => entry.message)
          .sort((a, b) => a.message_id - b.message_id),
      status: () => ({
        chat_count: state.chats.size,
        file_count: state.files.size,
        file_bytes: state.fileBytes,
      }),
      routes: telegramRoutes(state, closing),
    },
    closing,
  );
}

/** Playing the resident (updates, texts, buttons, media, blocking), files and callback answers. */
function telegramRoutes(state: EmulatorState, closing: AbortSignal): Router {
  const router = express.Router();
  const json = express.json({ limit: '1mb' });

  /** The request's own abort (client gone) or the emulator closing ends any long poll. */
  const abortOf = (response: Response) => exchangeAbortSignal(response, closing);

  const deliver = (response: Response, update: Record<string, unknown>) => {
    response.json({ ok: true, result: deliverUpdate(state, update) });
  };

  router.post(
    '/updates',
    json,
    asyncRoute((request, response) => {
      const parsed = z.record(z.string(), z.unknown()).safeParse(request.body);
      if (!parsed.success)
        throw new ControlError(400, 'invalid_update', 'the body must be a Telegram Update object');
      deliver(response, parsed.data);
    }),
  );

  router.post(
    '/chats/:chatId/text',
    json,
    asyncRoute((request, response) => {
      const chatId = chatIdParam(request);
      const body = TextBodySchema.parse(request.body ?? {});
      residentText(body.text, MAX_TEXT_LENGTH);
      const entities = commandEntities(body.text);
      deliver(response, {
        message: {
          ...senderOf(chatId, body),
          date: nowSeconds(),
          text: body.text,
          ...(entities.length > 0 ? { entities } : {}),
        },
      });
    }),
  );

  router.post(
    '/chats/:chatId/callback',
    json,
    asyncRoute((request, response) => {
      const chatId = chatIdParam(request);
      const body = CallbackBodySchema.parse(request.body ?? {});
      const { chat, from } = senderOf(chatId, body);
      state.ensureChat(chat, from);
      const stored = state.chat(chatId)?.messages.get(body.messageId)?.message;
      // Forged data on a message that does not exist is allowed: tests use it to attack the bot.
      let message: EmulatorMessage;
      if (stored) {
        // As Telegram shows it to the bot: no emulator fields, only an inline keyboard.
        const { edited: _edited, parse_mode: _parseMode, reply_markup, ...rest } = stored;
        message = reply_markup && 'inline_keyboard' in reply_markup ? { ...rest, reply_markup } : rest;
      } else {
        message = { message_id: body.messageId, date: 0, chat: state.chat(chatId)?.chat ?? chat };
      }
      deliver(response, {
        callback_query: { from, message, data: body.data, chat_instance: String(chatId) },
      });
    }),
  );

  router.post(
    '/chats/:chatId/photo',
    asyncRoute(async (request, response) => {
      const chatId = chatIdParam(request);
      const contentType = imageContentType(request);
      const bytes = await readImage(request, LIMITS.downloadableFileBytes);
      const caption = captionQuery(request, MAX_CAPTION_LENGTH);
      const file = state.storeFile(bytes, contentType, 'photo');
      deliver(response, {
        message: {
          ...senderOf(chatId, {}),
          date: nowSeconds(),
          photo: photoSizes(file),
          ...(caption ? { caption } : {}),
        },
      });
    }),
  );

  router.post(
    '/chats/:chatId/location',
    json,
    asyncRoute((request, response) => {
      const chatId = chatIdParam(request);
      const body = LocationBodySchema.parse(request.body ?? {});
      deliver(response, {
        message: {
          ...senderOf(chatId, body),
          date: nowSeconds(),
          location: { latitude: body.latitude, longitude: body.longitude },
        },
      });
    }),
  );

  router.post(
    '/chats/:chatId/block',
    json,
    asyncRoute((request, response) => {
      const chatId = chatIdParam(request);
      const { blocked } = BlockBodySchema.parse(request.body ?? {});
      const { chat, from } = senderOf(chatId, {});
      const status = blocked ? 'kicked' : 'member';
      const old = blocked ? 'member' : 'kicked';
      const bot = { id: 1, is_bot: true, first_name: 'TinBao', username: 'tinbao_bot' };
      deliver(response, {
        my_chat_member: {
          chat,
          from,
          date: nowSeconds(),
          old_chat_member: { status: old, user: bot },
          new_chat_member: { status, user: bot, ...(blocked ? { until_date: 0 } : {}) },
        },
      });
    }),
  );

  router.post(
    '/chats/:chatId/:kind',
    json,
    asyncRoute((request, response) => {
      const chatId = chatIdParam(request);
      const kind = request.params.kind as OtherMessageKind;
      if (!OTHER_KINDS.includes(kind)) {
        throw new ControlError(
          404,
          'unknown_kind',
          `kind must be one of text, callback, photo, location, ${OTHER_KINDS.join(', ')}`,
        );
      }
      const body = OtherBodySchema.parse(request.body ?? {});
      const { chat, from } = senderOf(chatId, body);
      const content =
        kind === 'contact'
          ? { contact: { phone_number: '+84900000000', first_name: from.first_name, user_id: from.id } }
          : { [kind]: fakeFile(state, kind), ...(body.caption ? { caption: body.caption } : {}) };
      deliver(response, { message: { chat, from, date: nowSeconds(), ...content } });
    }),
  );

  router.post(
    '/files',
    asyncRoute(async (request, response) => {
      const contentType = request.headers['content-type'] ?? 'application/octet-stream';
      let bytes: Buffer;
      let type = contentType;
      let fileName: string | undefined;
      if (contentType.toLowerCase().startsWith('multipart/form-data')) {
        const { files } = await readBotApiParams(
          request,
          new URLSearchParams(),
          LIMITS.downloadableFileBytes,
        );
        const part = files.get('file');
        if (!part)
          throw new ControlError(400, 'missing_file', 'send the file in a multipart field named "file"');
        bytes = part.bytes;
        type = part.contentType;
        fileName = part.fileName;
      } else {
        bytes = await readUpload(request, LIMITS.downloadableFileBytes);
      }
      if (bytes.length === 0) throw new ControlError(400, 'empty_file', 'the file is empty');
      const file = state.storeFile(bytes, type, type.startsWith('image/') ? 'photo' : 'document', fileName);
      response.json({
        ok: true,
        result: {
          file_id: file.file_id,
          file_unique_id: file.file_unique_id,
          file_size: file.file_size,
          file_path: file.file_path,
        },
      });
    }),
  );

  router.get('/files/:fileId', (request, response) => {
    sendStoredImage(response, state.files.get(String(request.params.fileId)), {
      error: 'file_not_found',
      message: 'unknown file_id',
    });
  });

  router.get(
    '/callback-answers/:callbackQueryId',
    asyncRoute(async (request, response) => {
      const id = String(request.params.callbackQueryId);
      const wait = numberQuery(request, 'wait', 0, MAX_WAIT_SECONDS);
      if (!state.callbackQueries.has(id))
        throw new ControlError(404, 'callback_query_not_found', 'unknown callback query id');
      await waitUntil(
        state.callbackSignal,
        () => state.callbackQueries.get(id)?.answer.answered === true,
        wait * 1000,
        abortOf(response),
      );
      const record = state.callbackQueries.get(id);
      if (!record) throw new ControlError(404, 'callback_query_not_found', 'unknown callback query id');
      if (!response.writable) return;
      response.json({ ok: true, result: record.answer });
    }),
  );

  return router;
}
