import type { Request, Response } from 'express';
import { botApiRoute } from '../common/bot-api-route';
import { type EmulatorOptions, startEmulator } from '../common/emulator-app';
import type { ListeningEmulator } from '../common/http-server';
import { startWebhookDelivery } from '../common/webhook';
import { TelegramApiError } from './api-error';
import { botUserFromToken, callBotMethod, type MethodContext } from './bot-api';
import { controlRouter } from './control-api';
import { EmulatorState, LIMITS, nowSeconds } from './state';

export type TelegramEmulator = ListeningEmulator;

export type TelegramEmulatorOptions = EmulatorOptions;

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
  const state = new EmulatorState();
  return startEmulator(options, {
    channel: 'telegram',
    state,
    mount: (app, closing) => {
      app.use('/_emulator', controlRouter(state, closing));

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
            const emptyFiles = new Map();
            startWebhookDelivery(state, {
              closing,
              secretHeader: 'X-Telegram-Bot-Api-Secret-Token',
              onDelivered: (answer) =>
                executeWebhookReply(answer.body, answer.contentType, (replyMethod, params) =>
                  callMethod(token, replyMethod, { params, files: emptyFiles, abort: closing }),
                ),
              now: nowSeconds,
            });
          },
        });
      };

      app.use(
        botApiRoute({
          faults: state.faults,
          closing,
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
    },
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
