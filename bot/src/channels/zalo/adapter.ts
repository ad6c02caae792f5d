import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { Logger } from '@tinbao/shared';
import type { Redis } from 'ioredis';
import type { Delivery } from '../../conversation/engine';
import { numberedOptions } from '../../conversation/menus';
import { TEXT } from '../../conversation/messages';
import type { ChannelCapabilities, Reply, ResidentInput } from '../../conversation/types';
import { errorSummary } from '../../errors';
import { downloadPhoto } from '../../photos/reencode';
import type { Pseudonyms } from '../../submission/pseudonyms';
import { type ChannelAdapter, type EventHandler, splitText } from '../port';
import { startWebhookServer } from '../webhook-server';
import { createZaloClient, ZaloApiError, type ZaloClient, type ZaloUpdate, ZaloUpdateSchema } from './client';

export const ZALO_CAPABILITIES: ChannelCapabilities = {
  channel: 'zalo',
  buttons: false,
  maxTextLength: 2000,
  location: false,
  photos: true,
};

export const ZALO_SECRET_HEADER = 'X-Bot-Api-Secret-Token';
/** How long a delivered event is remembered, so a redelivery is not answered twice. */
export const ZALO_DEDUPE_SECONDS = 24 * 3600;
const GROUP_NOTICE_SECONDS = 24 * 3600;

export interface ZaloAdapterDeps {
  token: string;
  apiRoot?: string;
  webhook?: { url: string; secret: string; port: number; host?: string };
  pollTimeoutSeconds?: number;
  redis: Redis;
  redisPrefix: string;
  pseudonyms: Pseudonyms;
  logger: Logger;
}

/**
 * Zalo Bot Platform: no buttons, so every menu is a numbered text list (the core reads
 * "2" or the option's words); messages of at most 2,000 characters; one update per long
 * poll (408 when none came) or a webhook checked by `X-Bot-Api-Secret-Token`. Image URLs
 * expire, so an image is downloaded the moment its event arrives.
 */
export function createZaloAdapter(deps: ZaloAdapterDeps): ChannelAdapter & { client: ZaloClient } {
  const client = createZaloClient({ token: deps.token, ...(deps.apiRoot ? { apiRoot: deps.apiRoot } : {}) });
  let mode: 'polling' | 'webhook' | 'idle' = 'idle';
  let running = false;
  let server: Server | undefined;
  let abort: AbortController | undefined;
  // Recently seen events, before asking Redis (most redeliveries come within seconds).
  const seen = new Set<string>();

  async function firstDelivery(update: ZaloUpdate): Promise<boolean> {
    const messageId = update.message?.message_id;
    if (!messageId) return true;
    const key = createHash('sha256')
      .update(`${update.event_name}\u0000${messageId}`)
      .digest('base64url')
      .slice(0, 32);
    if (seen.has(key)) return false;
    seen.add(key);
    if (seen.size > 10_000) {
      const oldest = seen.values().next().value;
      if (oldest !== undefined) seen.delete(oldest);
    }
    // Redis down: answer rather than stay silent (a duplicate answer beats none).
    const first = await deps.redis
      .set(`${deps.redisPrefix}:bot:zalo-seen:${key}`, '1', 'EX', ZALO_DEDUPE_SECONDS, 'NX')
      .catch(() => 'OK');
    return first === 'OK';
  }

  async function dispatch(raw: unknown, onEvent: EventHandler): Promise<void> {
    // Real traffic sends the update itself; the documented form wraps it in { ok, result }.
    const candidate =
      raw && typeof raw === 'object' && 'result' in raw && !('event_name' in raw)
        ? (raw as { result: unknown }).result
        : raw;
    const parsed = ZaloUpdateSchema.safeParse(candidate);
    if (!parsed.success) {
      deps.logger.info('zalo update ignored: unexpected shape');
      return;
    }
    const update = parsed.data;
    const message = update.message;
    if (!message || message.from.is_bot) return;
    if (!(await firstDelivery(update))) {
      deps.logger.info({ event: update.event_name }, 'zalo duplicate delivery ignored');
      return;
    }
    const chatId = message.chat.id;
    if (message.chat.chat_type && message.chat.chat_type !== 'PRIVATE') return groupNotice(chatId);
    const input = inputOf(update);
    if (!input) return;
    await onEvent(
      { resident: { channel: 'zalo', scope: 'zalo', userId: message.from.id, chatId }, input },
      (replies) => deliver(chatId, replies),
    );
  }

  async function groupNotice(chatId: string): Promise<void> {
    const key = `${deps.redisPrefix}:bot:group-notice:${await deps.pseudonyms.of('zalo-group', chatId)}`;
    const first = await deps.redis.set(key, '1', 'EX', GROUP_NOTICE_SECONDS, 'NX').catch(() => null);
    if (first === 'OK') await send(chatId, TEXT.groupChat).catch(() => {});
  }

  async function send(chatId: string, text: string): Promise<string | undefined> {
    // Zalo's own limits and hiccups: a few quick retries on 429/5xx and network errors.
    for (let attempt = 1; ; attempt++) {
      try {
        const sent = await client.sendMessage(chatId, text);
        return sent?.message_id;
      } catch (error) {
        const retryable =
          !(error instanceof ZaloApiError) || error.errorCode === 429 || error.errorCode >= 500;
        if (!retryable || attempt >= 3) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
      }
    }
  }

  async function deliver(chatId: string, replies: Reply[]): Promise<Delivery> {
    let lastMenuRef: string | undefined;
    for (const reply of replies) {
      if (reply.kind === 'retire-menu') continue;
      const text = reply.kind === 'menu' ? renderMenu(reply) : reply.text;
      let sentId: string | undefined;
      for (const part of splitText(text, ZALO_CAPABILITIES.maxTextLength)) sentId = await send(chatId, part);
      if (reply.kind === 'menu' && sentId) lastMenuRef = sentId;
    }
    return lastMenuRef ? { lastMenuRef } : {};
  }

  async function pollLoop(onEvent: EventHandler): Promise<void> {
    let backoffMs = 500;
    while (running) {
      try {
        const update = await client.getUpdate(deps.pollTimeoutSeconds ?? 30);
        backoffMs = 500;
        // Not awaited: other chats go on while this one is handled (the engine keeps each chat in order).
        if (update)
          void dispatch(update, onEvent).catch((error) =>
            deps.logger.warn({ err: errorSummary(error) }, 'zalo update failed'),
          );
      } catch (error) {
        if (!running) return;
        if (error instanceof ZaloApiError && error.errorCode === 401) {
          deps.logger.error('Zalo rejected ZALO_BOT_TOKEN (401)');
          running = false;
          return;
        }
        deps.logger.warn({ err: errorSummary(error), retryInMs: backoffMs }, 'zalo getUpdates failed');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, backoffMs);
          abort?.signal.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve();
          });
        });
        backoffMs = Math.min(backoffMs * 2, 30_000);
      }
    }
  }

  return {
    caps: ZALO_CAPABILITIES,
    scope: 'zalo',
    client,
    mode: () => mode,
    async start(onEvent) {
      running = true;
      abort = new AbortController();
      if (deps.webhook) {
        const { url, secret, port, host } = deps.webhook;
        server = await startWebhookServer({
          port,
          ...(host ? { host } : {}),
          path: new URL(url).pathname,
          secretHeader: ZALO_SECRET_HEADER,
          secret,
          onBody: (body) => dispatch(body, onEvent),
        });
        await client.call('setWebhook', { url, secret_token: secret });
        mode = 'webhook';
        deps.logger.info({ port }, 'zalo receiving updates by webhook');
        return;
      }
      await client.call('deleteWebhook').catch(() => {});
      mode = 'polling';
      void pollLoop(onEvent);
      deps.logger.info('zalo receiving updates by long polling');
    },
    async stop() {
      running = false;
      abort?.abort();
      mode = 'idle';
      if (server) {
        const closing = server;
        server = undefined;
        await new Promise<void>((resolve) => closing.close(() => resolve()));
      }
      // A poll in flight ends with its own timeout; nothing more is dispatched after it.
    },
    async sendText(address, text) {
      for (const part of splitText(text, ZALO_CAPABILITIES.maxTextLength)) await send(address, part);
    },
  };
}

/** The core's input for one Zalo event; undefined for events that are not a resident's message. */
export function inputOf(update: ZaloUpdate): ResidentInput | undefined {
  const message = update.message;
  if (!message) return undefined;
  switch (update.event_name) {
    case 'message.text.received':
      return { kind: 'text', text: message.text ?? '', ...(message.date ? { sentAt: message.date } : {}) };
    case 'message.image.received': {
      if (!message.photo) return { kind: 'unsupported', what: 'other' };
      // Started now: the URL expires, and the chat may still be busy with an earlier message.
      const bytes = downloadPhoto(message.photo);
      bytes.catch(() => {});
      return {
        kind: 'photo',
        source: { fetch: () => bytes },
        ...(message.caption ? { caption: message.caption } : {}),
      };
    }
    case 'message.sticker.received':
      return { kind: 'unsupported', what: 'sticker' };
    case 'message.unsupported.received':
      return { kind: 'unsupported', what: 'protected' };
    default:
      return { kind: 'unsupported', what: 'other' };
  }
}

/** A menu as Zalo shows it: the text, then one numbered line per option, then how to answer. */
export function renderMenu(menu: Extract<Reply, { kind: 'menu' }>): string {
  const lines = numberedOptions(menu.options).map(({ number, option }) => `${number}. ${option.label}`);
  return [menu.text, '', ...lines, '', 'Trả lời bằng số (1, 2, 3…) hoặc gõ tên mục.'].join('\n');
}
