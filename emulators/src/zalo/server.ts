import { setMaxListeners } from 'node:events';
import express, { type Request, type Response } from 'express';
import { BotApiError } from '../common/api-error';
import { botApiRoute } from '../common/bot-api-route';
import { hostCheck } from '../common/host-check';
import { type ListeningEmulator, listenEmulator } from '../common/http-server';
import { type EmulatorPeers, mountPlayground } from '../common/playground';
import { sendImage } from '../common/send-image';
import { runWebhookDelivery } from '../common/webhook';
import { botIdFromToken, callZaloMethod } from './bot-api';
import { controlRouter } from './control-api';
import { ZaloState } from './state';

export type ZaloEmulator = ListeningEmulator;

export interface ZaloEmulatorOptions {
  /** 0: a random free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Host names served besides loopback and `host` (others are answered 421). */
  allowedHosts?: readonly string[];
  /** The other emulators, for the playground's channel switch. */
  peers?: EmulatorPeers;
}

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
  const host = options.host ?? '127.0.0.1';
  const state = new ZaloState();
  const closing = new AbortController();
  // Every open exchange listens for the close: many at once is normal, not a leak.
  setMaxListeners(0, closing.signal);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(hostCheck(host, options.allowedHosts));

  mountPlayground(app, { channel: 'zalo', ...(options.peers ? { peers: options.peers } : {}) });
  app.use('/_emulator', controlRouter(state, closing.signal));

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

  const startWebhook = () => {
    const generation = state.webhookGeneration;
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
      secretHeader: 'X-Bot-Api-Secret-Token',
      // Real Zalo traffic is the bare event, with no { ok, result } around it.
      body: (update) => update.event,
      onFailure: (message) => {
        if (state.webhook?.generation !== generation) return;
        state.webhook.lastErrorDate = Date.now();
        state.webhook.lastErrorMessage = message;
      },
    });
  };

  app.use(
    botApiRoute({
      faults: state.faults,
      closing: closing.signal,
      uploadLimit: 1024 * 1024,
      faultDescriptions: FAULT_DESCRIPTIONS,
      retryAfter: false,
      // Zalo answers an empty long poll with HTTP 200 and error_code 408 in the body.
      httpStatus: (code) => (code === 408 ? 200 : code),
      call: async (token, method, call) => {
        const botId = botIdFromToken(token);
        if (!botId) throw new BotApiError(401, 'Unauthorized');
        return callZaloMethod(method, { state, botId, params: call.params, abort: call.abort, startWebhook });
      },
    }),
  );

  app.use((_request: Request, response: Response) => {
    response.status(404).json({ ok: false, error_code: 404, description: 'Not Found' });
  });

  const emulator = await listenEmulator(app, { port: options.port, host }, () => {
    // Ends long polls and webhook retries first so their sockets can close.
    closing.abort();
    state.reset();
  });
  state.baseUrl = emulator.url;
  return emulator;
}
