import type { Request, Response } from 'express';
import { BotApiError } from '../common/api-error';
import { botApiRoute } from '../common/bot-api-route';
import { type EmulatorOptions, startEmulator } from '../common/emulator-app';
import type { ListeningEmulator } from '../common/http-server';
import { sendImage } from '../common/send-image';
import { startWebhookDelivery } from '../common/webhook';
import { botIdFromToken, callZaloMethod } from './bot-api';
import { controlRouter } from './control-api';
import { ZaloState } from './state';

export type ZaloEmulator = ListeningEmulator;

export type ZaloEmulatorOptions = EmulatorOptions;

const MEDIA_PATH = /^\/_zalo-media\/([a-f0-9]{32}\.jpg)$/;

const FAULT_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request timeout',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * A local stand-in for the Zalo Bot Platform API: `/bot<bot_id>:<access_token>/<method>` with
 * Zalo's envelope, single-update long polling and webhooks, expiring image links under
 * /_zalo-media, a control API for tests (/_emulator/...) and the web chat at /playground.
 * Everything lives in memory and is bounded; message texts are never logged.
 */
export async function startZaloEmulator(options: ZaloEmulatorOptions): Promise<ZaloEmulator> {
  const state = new ZaloState();
  const emulator = await startEmulator(options, {
    channel: 'zalo',
    state,
    mount: (app, closing) => {
      app.use('/_emulator', controlRouter(state, closing));

      /** The image behind a message.image.received link: like a CDN, it answers 403 once the link expired. */
      app.get(MEDIA_PATH, (request: Request, response: Response) => {
        const name = MEDIA_PATH.exec(request.path)?.[1] ?? '';
        const media = state.media.get(name);
        if (!media) {
          response.status(404).type('text/plain').send('Not Found');
          return;
        }
        if (Date.now() >= media.expiresAt) {
          response.status(403).type('text/plain').send('Forbidden: the link has expired');
          return;
        }
        sendImage(response, media.bytes, media.contentType);
      });

      const startWebhook = () =>
        startWebhookDelivery(state, {
          closing,
          secretHeader: 'X-Bot-Api-Secret-Token',
          // Real Zalo traffic is the bare event, with no { ok, result } around it.
          body: (update) => update.event,
          now: Date.now,
        });

      app.use(
        botApiRoute({
          faults: state.faults,
          closing,
          uploadLimit: 1024 * 1024,
          faultDescriptions: FAULT_DESCRIPTIONS,
          retryAfter: false,
          // Zalo answers an empty long poll with HTTP 200 and error_code 408 in the body.
          httpStatus: (code) => (code === 408 ? 200 : code),
          call: async (token, method, call) => {
            const botId = botIdFromToken(token);
            if (!botId) throw new BotApiError(401, 'Unauthorized');
            return callZaloMethod(method, {
              state,
              botId,
              params: call.params,
              abort: call.abort,
              startWebhook,
            });
          },
        }),
      );
    },
  });
  state.baseUrl = emulator.url;
  return emulator;
}
