import express, { type Request, type Response, type Router } from 'express';
import {
  asyncRoute,
  ControlError,
  controlErrorHandler,
  MAX_WAIT_SECONDS,
  numberQuery,
  readUpload,
  unknownEndpoint,
} from './control';
import { type FaultList, FaultSchema } from './faults';
import { exchangeAbortSignal, type Signal, waitUntil } from './signal';

/** What the shared control routes read and change in an emulator's state. */
export interface ControlState<ChatId> {
  chat(chatId: ChatId): { events: readonly { seq: number }[] } | undefined;
  /** Notified on every bot action in the chat; the long polls below wait on it. */
  chatActivity(chatId: ChatId): Signal;
  clearChat(chatId: ChatId): void;
  readonly faults: FaultList;
  readonly activePoll: AbortController | undefined;
  readonly pendingUpdates: readonly unknown[];
  readonly webhook: { url: string } | undefined;
  reset(): void;
}

/** One platform's part of the control API: its state, chat ids, message history and routes. */
export interface ControlChannel<ChatId, Message> {
  state: ControlState<ChatId>;
  /** The path's `:chatId` in the platform's form; a ControlError (400) for anything else. */
  chatIdParam(request: Request): ChatId;
  /** GET /chats/:chatId: the chat and its counters, undefined before its first update. */
  chatSummary(chatId: ChatId): Record<string, unknown> | undefined;
  /** The 404 message of GET /chats/:chatId for a chat nothing came from yet. */
  chatNotFound: string;
  /** The chat's messages after `after`, in order: the bot's, or both sides with `everyone`. */
  messagesAfter(chatId: ChatId, after: number, everyone: boolean): Message[];
  /** The platform's fields of GET /status between `webhook_url` and `fault_count` (chat and storage counts). */
  status(): Record<string, unknown>;
  /** The platform's own endpoints (playing the resident, stored files); they go first. */
  routes: Router;
}

/**
 * The control API both emulators serve under /_emulator: the platform's routes, then the shared
 * ones (a chat, its messages and events as long polls, clearing it, faults, status, reset), then
 * 404 for anything else and the one error middleware.
 */
export function controlRouter<ChatId, Message>(
  channel: ControlChannel<ChatId, Message>,
  closing: AbortSignal,
): Router {
  const { state } = channel;
  const router = express.Router();
  const json = express.json({ limit: '1mb' });

  /** The request's own abort (client gone) or the emulator closing ends any long poll. */
  const abortOf = (response: Response) => exchangeAbortSignal(response, closing);

  router.use(channel.routes);

  router.get(
    '/chats/:chatId',
    asyncRoute((request, response) => {
      const summary = channel.chatSummary(channel.chatIdParam(request));
      if (!summary) throw new ControlError(404, 'chat_not_found', channel.chatNotFound);
      response.json({ ok: true, result: summary });
    }),
  );

  router.get(
    '/chats/:chatId/messages',
    asyncRoute(async (request, response) => {
      const chatId = channel.chatIdParam(request);
      const after = numberQuery(request, 'after', 0);
      const wait = numberQuery(request, 'wait', 0, MAX_WAIT_SECONDS);
      const count = Math.max(1, numberQuery(request, 'count', 1));
      // from=all adds the resident's own messages (the playground shows both sides).
      const everyone = request.query.from === 'all';
      const current = () => channel.messagesAfter(chatId, after, everyone);
      await waitUntil(
        state.chatActivity(chatId),
        () => current().length >= count,
        wait * 1000,
        abortOf(response),
      );
      if (!response.writable) return;
      response.json({ ok: true, result: current() });
    }),
  );

  router.get(
    '/chats/:chatId/events',
    asyncRoute(async (request, response) => {
      const chatId = channel.chatIdParam(request);
      const after = numberQuery(request, 'after', 0);
      const wait = numberQuery(request, 'wait', 0, MAX_WAIT_SECONDS);
      const events = () => (state.chat(chatId)?.events ?? []).filter((event) => event.seq > after);
      await waitUntil(state.chatActivity(chatId), () => events().length > 0, wait * 1000, abortOf(response));
      if (!response.writable) return;
      response.json({ ok: true, result: events() });
    }),
  );

  router.delete(
    '/chats/:chatId',
    asyncRoute((request, response) => {
      state.clearChat(channel.chatIdParam(request));
      response.json({ ok: true, result: true });
    }),
  );

  router.post(
    '/faults',
    json,
    asyncRoute((request, response) => {
      const fault = state.faults.add(FaultSchema.parse(request.body ?? {}));
      response.json({ ok: true, result: { fault_id: fault.id } });
    }),
  );

  router.delete('/faults', (_request, response) => {
    state.faults.clear();
    response.json({ ok: true, result: true });
  });

  router.get('/status', (_request, response) => {
    response.json({
      ok: true,
      result: {
        polling: state.activePoll !== undefined,
        pending_update_count: state.pendingUpdates.length,
        webhook_url: state.webhook?.url ?? '',
        ...channel.status(),
        fault_count: state.faults.size,
      },
    });
  });

  router.post('/reset', (_request, response) => {
    state.reset();
    response.json({ ok: true, result: true });
  });

  router.use(unknownEndpoint);
  router.use(controlErrorHandler);
  return router;
}

/** The Content-Type of a resident's photo upload: 415 unless it is image/*. */
export function imageContentType(request: Request): string {
  const contentType = request.headers['content-type'] ?? '';
  if (!contentType.toLowerCase().startsWith('image/')) {
    throw new ControlError(
      415,
      'unsupported_media_type',
      'send the image bytes with an image/* Content-Type',
    );
  }
  return contentType;
}

/** A resident's text: 400 when it is blank or longer than `maxLength`. */
export function residentText(text: string, maxLength: number): string {
  if (text.trim() === '') throw new ControlError(400, 'empty_text', 'text is empty');
  if (text.length > maxLength)
    throw new ControlError(400, 'text_too_long', `text is longer than ${maxLength}`);
  return text;
}

/** The bytes of a resident's image, at most `limit` (413 beyond it, 400 when empty). */
export async function readImage(request: Request, limit: number): Promise<Buffer> {
  const bytes = await readUpload(request, limit);
  if (bytes.length === 0) throw new ControlError(400, 'empty_file', 'the image is empty');
  return bytes;
}

/** A photo's `?caption=`, at most `maxLength` long (400 beyond it). */
export function captionQuery(request: Request, maxLength: number): string | undefined {
  const caption = typeof request.query.caption === 'string' ? request.query.caption : undefined;
  if (caption !== undefined && caption.length > maxLength) {
    throw new ControlError(400, 'caption_too_long', `caption is longer than ${maxLength}`);
  }
  return caption;
}
