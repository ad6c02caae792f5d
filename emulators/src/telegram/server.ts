import { setMaxListeners } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response } from 'express';
import { TelegramApiError } from './api-error';
import { botUserFromToken, callBotMethod, type MethodContext } from './bot-api';
import { controlRouter } from './control-api';
import { faultError } from './faults';
import { readBotApiParams } from './request-body';
import { EmulatorState, exchangeAbortSignal, LIMITS } from './state';
import { delay, runWebhookDelivery } from './webhook';

export interface TelegramEmulator {
  /** http://<host>:<port>; also the grammY `apiRoot`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
const BOT_API_PATH = /^\/bot([^/]+)\/([A-Za-z0-9_]+)\/?$/;
const FILE_PATH = /^\/file\/bot([^/]+)\/(.+)$/;

/**
 * A local stand-in for api.telegram.org: the Bot API methods TinBao's bot calls, Telegram's
 * envelope and limits, a control API for tests (/_emulator/...) and a web chat at /playground.
 * Everything lives in memory and is bounded; message texts are never logged.
 */
export async function startTelegramEmulator(options: {
  port: number;
  host?: string;
}): Promise<TelegramEmulator> {
  const host = options.host ?? '127.0.0.1';
  const state = new EmulatorState();
  const closing = new AbortController();
  // Every open exchange listens for the close: many at once is normal, not a leak.
  setMaxListeners(0, closing.signal);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

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
        void runWebhookDelivery(state, generation, closing.signal, (replyMethod, params) =>
          callMethod(token, replyMethod, { params, files: emptyFiles, abort: closing.signal }),
        );
      },
    });
  };

  app.use(async (request: Request, response: Response, next: NextFunction) => {
    const match = BOT_API_PATH.exec(request.path);
    if (!match) {
      next();
      return;
    }
    const [, token = '', method = ''] = match;
    try {
      const query = new URL(request.originalUrl, 'http://emulator').searchParams;
      const { params, files } = await readBotApiParams(request, query, LIMITS.uploadBytes);
      const abort = exchangeAbortSignal(response, closing.signal);
      const fault = state.faults.take(method, params);
      if (fault?.delay_ms) await delay(fault.delay_ms, abort);
      if (fault?.disconnect) {
        request.socket.destroy();
        return;
      }
      const injected = fault && faultError(fault);
      if (injected) throw injected;
      const result = await callMethod(decodeURIComponent(token), method, { params, files, abort });
      if (response.writable) response.json({ ok: true, result });
    } catch (error) {
      if (!response.writable || response.headersSent) return;
      if (error instanceof TelegramApiError) {
        response.status(error.errorCode).json({
          ok: false,
          error_code: error.errorCode,
          description: error.description,
          ...(error.parameters ? { parameters: error.parameters } : {}),
        });
      } else {
        response.status(500).json({ ok: false, error_code: 500, description: 'Internal Server Error' });
      }
    }
  });

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

  app.get(['/', '/playground', '/playground/'], (request: Request, response: Response) => {
    if (request.path === '/') {
      response.redirect('/playground');
      return;
    }
    response.setHeader(
      'content-security-policy',
      "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
    );
    response.sendFile('playground.html', { root: PUBLIC_DIR });
  });
  app.use('/playground', express.static(PUBLIC_DIR, { index: false }));

  app.use((_request: Request, response: Response) => {
    response.status(404).json({ ok: false, error_code: 404, description: 'Not Found' });
  });

  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: async () => {
      if (closing.signal.aborted) return;
      // Ends long polls and webhook retries first so their sockets can close.
      closing.abort();
      state.reset();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 200).unref();
      });
    },
  };
}
