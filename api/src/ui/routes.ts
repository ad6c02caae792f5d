import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type RequestHandler, type Router } from 'express';
import type { ApiDeps } from '../deps';

export const DEFAULT_UI_DIST_DIR = fileURLToPath(new URL('../../../moderation-ui/dist/', import.meta.url));

export interface UiDeps {
  config: Pick<ApiDeps['config'], 'SESSION_IDLE_MINUTES'>;
  /** The Vite build output; defaults to moderation-ui/dist. */
  distDir?: string;
}

const IDLE_META = /(<meta name="tinbao-session-idle-minutes" content=")[^"]*(")/;

/**
 * The login's proof-of-work worker runs libsodium's WebAssembly, which `script-src 'self'`
 * forbids. A dedicated worker takes the policy of its own script's response, so only this
 * file gets 'wasm-unsafe-eval' (WebAssembly compilation, no eval of JavaScript); the pages
 * keep the strict policy.
 */
const POW_WORKER_FILE = /\/proof-of-work\.worker-[\w-]+\.js$/;
export const POW_WORKER_CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'";

/**
 * Serves the moderation UI: hashed assets cached for a year, index.html never stored (so
 * the back button after logout refetches it and finds no session), and the SPA fallback for
 * every GET outside /api. Mounted last, after every API router.
 */
export function uiRouter(deps: UiDeps): Router {
  const distDir = deps.distDir ?? DEFAULT_UI_DIST_DIR;
  const router = express.Router();

  router.use(
    '/assets',
    express.static(join(distDir, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
      fallthrough: true,
      setHeaders: (res, path) => {
        if (POW_WORKER_FILE.test(path)) res.setHeader('Content-Security-Policy', POW_WORKER_CSP);
      },
    }),
    (_req, res) => {
      res.status(404).type('text/plain').send('asset not found');
    },
  );
  const sendIndex: RequestHandler = async (_req, res, next) => {
    const indexFile = join(distDir, 'index.html');
    if (!existsSync(indexFile)) {
      res
        .status(503)
        .set('Cache-Control', 'no-store')
        .type('text/plain')
        .send('The moderation UI is not built: run npm run build -w moderation-ui\n');
      return;
    }
    try {
      // The client's idle timer must match the server's idle expiry; a <meta> needs no inline script.
      const html = (await readFile(indexFile, 'utf8')).replace(
        IDLE_META,
        `$1${deps.config.SESSION_IDLE_MINUTES}$2`,
      );
      res.set('Cache-Control', 'no-store').type('html').send(html);
    } catch (error) {
      next(error);
    }
  };

  // index.html is never served by the static handler: it must stay no-store.
  router.get('/index.html', sendIndex);
  router.use(express.static(distDir, { index: false, maxAge: '1h', fallthrough: true }));
  router.use((req, res, next) => {
    if (
      (req.method !== 'GET' && req.method !== 'HEAD') ||
      req.path === '/api' ||
      req.path.startsWith('/api/')
    ) {
      next();
      return;
    }
    void sendIndex(req, res, next);
  });
  return router;
}
