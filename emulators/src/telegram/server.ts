import { setMaxListeners } from 'node:events';
import express, { type Request, type Response } from 'express';
import { botApiRoute } from '../common/bot-api-route';
import { hostCheck } from '../common/host-check';
import { type ListeningEmulator, listenEmulator } from '../common/http-server';
import { type EmulatorPeers, mountPlayground } from '../common/playground';
import { runWebhookDelivery } from '../common/webhook';
import { TelegramApiError } from './api-error';
import { botUserFromToken, callBotMethod, type MethodContext } from './bot-api';
import { controlRouter } from './control-api';
import { EmulatorState, LIMITS, nowSeconds } from './state';

export type TelegramEmulator = ListeningEmulator;

export interface TelegramEmulatorOptions {
  /** 0: a random free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Host names served besides loopback and `host` (others are answered 421). */
  allowedHosts?: readonly string[];
  /** The other emulators, for the playground's channel switch. */
  peers?: EmulatorPeers;
}

const FILE_PATH = /^\/file\/bot([^/]+)\/(.+)$/;

const FAULT_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request: emulated fault',
  401: 'Unauthorized',
  403: 'Forbidden: bot was blocked by the user',
  409: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * A local stand-in for api.telegram.org: the Bot API methods TinBao's bot calls, Telegram's
 * envelope and limits, a control API for tests (/_emulator/...) and a web chat at /playground.
 * Everything lives in memory and is bounded; message texts are never logged.
 */
export async function startTelegramEmulator(options: TelegramEmulatorOptions): Promise<TelegramEmulator> {
  const host = options.host ?? '127.0.0.1';
  const state = new EmulatorState();
  const closing = new AbortController();
  // Every open exchange listens for the close: many at once is normal, not a leak.
  setMaxListeners(0, closing.signal);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(hostCheck(host, options.allowedHosts));

  mountPlayground(app, { channel: 'telegram', ...(options.peers ? { peers: options.peers } : {}) });
  app.use('/_emulator', controlRouter(state, closing.signal));

  const callMethod = async (
    token: string,
    method: string,
    context: Omit<MethodContext, 'bot' | 'token' | 'startWebhook' | 'state'>,
  ) => {
    const bot = botUserFromToken(token);
    if (!bot) throw new TelegramApiError(401, 'Unauthorized');
    return callBotMethod(method, {
      ...context,
      state,
      bot,
      token,
      startWebhook: () => {
        const generation = state.webhookGeneration;
        const emptyFiles = new Map();
        void runWebhookDelivery({
          queue: {
            webhook: () => state.webhook,
            peek: () => state.pendingUpdates[0],
            remove: (update) => {
              state.pendingUpdates = state.pendingUpdates.filter((pending) => pending !== update);
            },
            signal: state.webhookSignal,
          },
          generation,
          closing: closing.signal,
          secretHeader: 'X-Telegram-Bot-Api-Secret-Token',
          onDelivered: (answer) =>
            executeWebhookReply(answer.body, answer.contentType, (replyMethod, params) =>
              callMethod(token, replyMethod, { params, files: emptyFiles, abort: closing.signal }),
            ),
          onFailure: (message) => {
            if (state.webhook?.generation !== generation) return;
            state.webhook.lastErrorDate = nowSeconds();
            state.webhook.lastErrorMessage = message;
          },
        });
      },
    });
  };

  app.use(
    botApiRoute({
      faults: state.faults,
      closing: closing.signal,
      uploadLimit: LIMITS.uploadBytes,
      faultDescriptions: FAULT_DESCRIPTIONS,
      retryAfter: true,
      call: callMethod,
    }),
  );

  app.get(FILE_PATH, (request: Request, response: Response) => {
    const match = FILE_PATH.exec(request.path);
    const token = decodeURIComponent(match?.[1] ?? '');
    const file = state.filesByPath.get(decodeURIComponent(match?.[2] ?? ''));
    if (!botUserFromToken(token)) {
      response.status(401).json({ ok: false, error_code: 401, description: 'Unauthorized' });
      return;
    }
    if (!file) {
      response.status(404).json({ ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    response.setHeader('content-type', file.contentType);
    response.setHeader('content-length', String(file.bytes.length));
    response.setHeader('x-content-type-options', 'nosniff');
    response.setHeader('content-security-policy', "default-src 'none'");
    response.end(file.bytes);
  });

  app.use((_request: Request, response: Response) => {
    response.status(404).json({ ok: false, error_code: 404, description: 'Not Found' });
  });

  return listenEmulator(app, { port: options.port, host }, () => {
    // Ends long polls and webhook retries first so their sockets can close.
    closing.abort();
    state.reset();
  });
}

/** A webhook answer carrying `method` is executed as a Bot API call, like Telegram's webhook replies. */
async function executeWebhookReply(
  body: string,
  contentType: string | null,
  callMethod: (method: string, params: Record<string, unknown>) => Promise<unknown>,
): Promise<void> {
  if (!contentType?.includes('application/json') || body.trim() === '') return;
  try {
    const reply = JSON.parse(body) as { method?: unknown };
    if (typeof reply?.method !== 'string') return;
    const { method, ...params } = reply as { method: string } & Record<string, unknown>;
    await callMethod(method, params);
  } catch {
    // Telegram ignores a webhook reply it cannot run; the bot sees no error either.
  }
}
