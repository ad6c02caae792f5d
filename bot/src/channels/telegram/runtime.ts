import { createServer, type Server } from 'node:http';
import { run } from '@grammyjs/runner';
import type { Logger } from '@tinbao/shared';
import { type Bot, type Context, webhookCallback } from 'grammy';

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
    const { url, secret, port } = options.webhook;
    const handle = webhookCallback(bot, 'http', { secretToken: secret, onTimeout: 'return' });
    const server: Server = createServer((request, response) => {
      if (request.method !== 'POST') {
        response.writeHead(405).end();
        return;
      }
      void handle(request, response);
    });
    await new Promise<void>((resolve) => server.listen(port, options.webhook?.host ?? '127.0.0.1', resolve));
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
