import { run } from '@grammyjs/runner';
import type { Logger } from '@tinbao/shared';
import type { Bot, Context } from 'grammy';
import type { Update } from 'grammy/types';
import { z } from 'zod';
import { startWebhookServer } from '../webhook-server';

export const TELEGRAM_SECRET_HEADER = 'X-Telegram-Bot-Api-Secret-Token';

/** What must hold before grammY sees a body: an update object with its id; the rest is grammY's. */
const UpdateEnvelopeSchema = z.looseObject({ update_id: z.number().int().nonnegative() });

export interface BotRuntime {
  mode: 'polling' | 'webhook';
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  webhook?: { url: string; secret: string; port: number; host?: string };
  /** Long-poll timeout in seconds (Telegram allows up to 50). */
  pollTimeoutSeconds?: number;
  logger: Logger;
}

/**
 * Long polling by default (runner: concurrent across chats, ordered within one chat by the
 * conversation engine); a webhook checked by its secret token when a URL is given.
 */
export async function startBotRuntime(bot: Bot<Context>, options: RuntimeOptions): Promise<BotRuntime> {
  await bot.init();
  if (options.webhook) {
    const { url, secret, port, host } = options.webhook;
    // Our webhook server, not grammY's node adapter: that one reads any body size and its
    // malformed-JSON rejection is unhandled (the process would exit). Here bodies are
    // bounded (413), non-JSON is a 400, and the secret is compared in constant time.
    const server = await startWebhookServer({
      port,
      ...(host ? { host } : {}),
      path: new URL(url).pathname,
      secretHeader: TELEGRAM_SECRET_HEADER,
      secret,
      onBody: async (body) => {
        const envelope = UpdateEnvelopeSchema.safeParse(body);
        if (!envelope.success) {
          // Answered 200 all the same: Telegram would resend a refused update forever.
          options.logger.warn('telegram webhook: a body that is not an update, dropped');
          return;
        }
        await bot.handleUpdate(envelope.data as unknown as Update);
      },
    });
    await bot.api.setWebhook(url, { secret_token: secret, drop_pending_updates: false });
    options.logger.info({ port }, 'bot receiving updates by webhook');
    return {
      mode: 'webhook',
      stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }
  await bot.api.deleteWebhook();
  const runner = run(bot, {
    runner: { fetch: { timeout: options.pollTimeoutSeconds ?? 30 }, silent: true },
  });
  options.logger.info('bot receiving updates by long polling');
  return {
    mode: 'polling',
    stop: async () => {
      if (runner.isRunning()) await runner.stop();
    },
  };
}
