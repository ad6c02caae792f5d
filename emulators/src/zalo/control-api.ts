import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import { asyncRoute, ControlError, numberQuery } from '../common/control';
import {
  captionQuery,
  imageContentType,
  readImage,
  residentText,
  controlRouter as sharedControlRouter,
} from '../common/control-api';
import { sendStoredImage } from '../common/send-image';
import { CHAT_ID_PATTERN, defaultUserId, randomHex } from './ids';
import { ZALO_LIMITS, type ZaloState } from './state';
import type {
  ZaloChat,
  ZaloChatMessage,
  ZaloChatType,
  ZaloDelivered,
  ZaloEvent,
  ZaloEventName,
  ZaloMessage,
  ZaloMessageKind,
  ZaloUser,
} from './types';

const DEFAULT_MEDIA_LIFETIME_MS = 60_000;
const MAX_MEDIA_LIFETIME_MS = 7 * 24 * 3600 * 1000;

const FromSchema = z.object({
  id: z.string().regex(CHAT_ID_PATTERN, 'must be 1–64 of A-Z a-z 0-9 _ -').optional(),
  display_name: z.string().min(1).max(100).optional(),
});

const SenderSchema = z.object({
  from: FromSchema.optional(),
  chatType: z.enum(['PRIVATE', 'GROUP']).optional(),
});

const TextBodySchema = SenderSchema.extend({ text: z.string() });
const StickerBodySchema = SenderSchema.extend({
  sticker: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
});
const RedeliverBodySchema = z.object({ message_id: z.string().min(1).max(128) });

/** Loose on purpose: a test may deliver odd events; only what the emulator files the chat by is read. */
const RawEventSchema = z.looseObject({
  event_name: z.string().min(1).max(100),
  message: z
    .looseObject({
      message_id: z.string().optional(),
      chat: z
        .looseObject({ id: z.string().regex(CHAT_ID_PATTERN), chat_type: z.string().optional() })
        .optional(),
    })
    .optional(),
});

const EVENT_KINDS: Record<ZaloEventName, ZaloMessageKind> = {
  'message.text.received': 'text',
  'message.image.received': 'photo',
  'message.sticker.received': 'sticker',
  'message.unsupported.received': 'unsupported',
};

function chatIdParam(request: Request): string {
  const chatId = String(request.params.chatId);
  if (!CHAT_ID_PATTERN.test(chatId)) {
    throw new ControlError(400, 'invalid_chat_id', 'chatId must be 1–64 of A-Z a-z 0-9 _ -');
  }
  return chatId;
}

/** What a chat's history keeps of a message, the resident's or the bot's. */
function historyEntry(message: ZaloMessage, kind: ZaloMessageKind): Omit<ZaloChatMessage, 'seq'> {
  return {
    message_id: message.message_id,
    from_bot: false,
    kind,
    date: message.date,
    ...(message.text !== undefined ? { text: message.text } : {}),
    ...(message.photo !== undefined ? { photo: message.photo } : {}),
    ...(message.caption !== undefined ? { caption: message.caption } : {}),
    ...(message.sticker !== undefined ? { sticker: message.sticker } : {}),
    ...(message.url !== undefined ? { url: message.url } : {}),
    user_id: message.from.id,
    display_name: message.from.display_name,
  };
}

/** The Zalo emulator's control API: its own routes before the ones both emulators share. */
export function controlRouter(state: ZaloState, closing: AbortSignal): Router {
  return sharedControlRouter(
    {
      state,
      chatIdParam,
      chatSummary: (chatId) => {
        const chat = state.chat(chatId);
        return (
          chat && {
            chat: chat.chat,
            user_id: chat.user?.id ?? defaultUserId(chat.chat.id),
            last_seq: chat.lastSeq,
            last_event_seq: chat.lastEventSeq,
          }
        );
      },
      chatNotFound: 'no event has come from this chat yet',
      messagesAfter: (chatId, after, everyone) =>
        (state.chat(chatId)?.records ?? [])
          .map((record) => record.message)
          .filter((message) => (everyone || message.from_bot) && message.seq > after),
      status: () => ({
        webhook_last_error: state.webhook?.lastErrorMessage ?? '',
        chat_count: state.chats.size,
        media_count: state.media.size,
        media_bytes: state.mediaBytes,
      }),
      routes: zaloRoutes(state),
    },
    closing,
  );
}

/** Playing the resident (texts, images, stickers, raw events, redelivery) and the images residents sent. */
function zaloRoutes(state: ZaloState): Router {
  const router = express.Router();
  const json = express.json({ limit: '1mb' });

  /** The chat and resident of a new message; a private chat's resident defaults to an id derived from it. */
  const senderOf = (
    chatId: string,
    body: z.infer<typeof SenderSchema>,
  ): { chat: ZaloChat; from: ZaloUser } => {
    const existing = state.chat(chatId);
    const chatType: ZaloChatType = body.chatType ?? existing?.chat.chat_type ?? 'PRIVATE';
    const from: ZaloUser = {
      id: body.from?.id ?? defaultUserId(chatId),
      display_name: body.from?.display_name ?? (chatType === 'PRIVATE' ? 'Người dân' : 'Thành viên nhóm'),
      is_bot: false,
    };
    return { chat: { id: chatId, chat_type: chatType }, from };
  };

  /** Queues a resident's message as Zalo would send it and keeps it in the chat's history. */
  const deliverResident = (
    chatId: string,
    body: z.infer<typeof SenderSchema>,
    eventName: ZaloEventName,
    content: Pick<ZaloMessage, 'text' | 'photo' | 'caption' | 'sticker' | 'url'>,
  ): ZaloDelivered => {
    const { chat, from } = senderOf(chatId, body);
    const chatState = state.ensureChat(chat, from);
    chatState.chat = chat;
    const message: ZaloMessage = { message_id: randomHex(16), from, chat, date: Date.now(), ...content };
    const event: ZaloEvent = { event_name: eventName, message };
    const stored = state.appendMessage(chatState, historyEntry(message, EVENT_KINDS[eventName]), event);
    state.enqueue(event);
    return {
      message_id: message.message_id,
      user_id: from.id,
      chat_id: chatId,
      event_name: eventName,
      seq: stored.seq,
      ...(content.photo ? { photo: content.photo } : {}),
    };
  };

  // ---- the resident's side ---------------------------------------------------------------

  router.post(
    '/chats/:chatId/text',
    json,
    asyncRoute((request, response) => {
      const chatId = chatIdParam(request);
      const body = TextBodySchema.parse(request.body ?? {});
      residentText(body.text, ZALO_LIMITS.residentTextLength);
      response.json({
        ok: true,
        result: deliverResident(chatId, body, 'message.text.received', { text: body.text }),
      });
    }),
  );

  router.post(
    '/chats/:chatId/photo',
    asyncRoute(async (request, response) => {
      const chatId = chatIdParam(request);
      const contentType = imageContentType(request);
      const caption = captionQuery(request, ZALO_LIMITS.textLength);
      const lifetime = numberQuery(request, 'expiresInMs', DEFAULT_MEDIA_LIFETIME_MS, MAX_MEDIA_LIFETIME_MS);
      const expired = request.query.expired === '1' || request.query.expired === 'true';
      const bytes = await readImage(request, ZALO_LIMITS.uploadBytes);
      const expiresAt = expired ? Date.now() - 1 : Date.now() + lifetime;
      const name = state.storeMedia(bytes, contentType.split(';')[0]!.trim().toLowerCase(), expiresAt);
      response.json({
        ok: true,
        result: deliverResident(chatId, {}, 'message.image.received', {
          photo: state.mediaUrl(name),
          ...(caption ? { caption } : {}),
        }),
      });
    }),
  );

  router.post(
    '/chats/:chatId/sticker',
    json,
    asyncRoute((request, response) => {
      const chatId = chatIdParam(request);
      const body = StickerBodySchema.parse(request.body ?? {});
      const sticker = body.sticker ?? randomHex(8);
      response.json({
        ok: true,
        result: deliverResident(chatId, body, 'message.sticker.received', {
          sticker,
          url: `https://zalo-api.zadn.vn/api/emoticon/sticker/webpc?eid=${sticker}&size=130`,
        }),
      });
    }),
  );

  /** Voice, video, files, locations…: what Zalo forwards to bots only as "unsupported", without content. */
  router.post(
    '/chats/:chatId/unsupported',
    json,
    asyncRoute((request, response) => {
      const chatId = chatIdParam(request);
      const body = SenderSchema.parse(request.body ?? {});
      response.json({ ok: true, result: deliverResident(chatId, body, 'message.unsupported.received', {}) });
    }),
  );

  /** Any event, delivered exactly as given (twice for a duplicate-delivery test). */
  router.post(
    '/updates',
    json,
    asyncRoute((request, response) => {
      const event = RawEventSchema.parse(request.body ?? {}) as unknown as ZaloEvent;
      const message = event.message as Partial<ZaloMessage> | undefined;
      const chatId = message?.chat?.id;
      if (chatId !== undefined) {
        const chatType: ZaloChatType = message?.chat?.chat_type === 'GROUP' ? 'GROUP' : 'PRIVATE';
        const from = message?.from as ZaloUser | undefined;
        const chat = state.ensureChat({ id: chatId, chat_type: chatType }, from?.id ? from : undefined);
        const known = chat.records.some((record) => record.message.message_id === message?.message_id);
        if (typeof message?.message_id === 'string' && !known) {
          state.appendMessage(
            chat,
            historyEntry(
              {
                date: Date.now(),
                ...message,
                from: from ?? { id: '', display_name: '', is_bot: false },
              } as ZaloMessage,
              EVENT_KINDS[event.event_name] ?? 'unsupported',
            ),
            event,
          );
        }
      }
      state.enqueue(event);
      response.json({
        ok: true,
        result: {
          queued: true,
          pending_update_count: state.pendingUpdates.length,
          ...(chatId !== undefined ? { chat_id: chatId } : {}),
          ...(typeof message?.message_id === 'string' ? { message_id: message.message_id } : {}),
        },
      });
    }),
  );

  /** Sends an earlier resident event again, unchanged: Zalo's at-least-once delivery. */
  router.post(
    '/chats/:chatId/redeliver',
    json,
    asyncRoute((request, response) => {
      const chatId = chatIdParam(request);
      const { message_id: messageId } = RedeliverBodySchema.parse(request.body ?? {});
      const record = state
        .chat(chatId)
        ?.records.find((candidate) => candidate.message.message_id === messageId);
      if (!record?.event) {
        throw new ControlError(
          404,
          'message_not_found',
          'no resident message with this message_id in the chat',
        );
      }
      state.enqueue(structuredClone(record.event));
      response.json({
        ok: true,
        result: { message_id: messageId, user_id: record.event.message.from?.id ?? '', chat_id: chatId },
      });
    }),
  );

  // ---- what the bot did ------------------------------------------------------------------

  /** An image a resident sent, whether or not its public link has expired (the playground shows it). */
  router.get('/media/:name', (request, response) => {
    sendStoredImage(response, state.media.get(String(request.params.name)), {
      error: 'media_not_found',
      message: 'unknown media',
    });
  });

  return router;
}
