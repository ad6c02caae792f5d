import type { Logger } from '@tinbao/shared';
import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import { errorMiddleware, notFound } from './platform/errors';

export interface AppDeps {
  logger: Logger;
  /** Feature routers, mounted in order. */
  routers: Router[];
  /** Express `trust proxy` (TRUST_PROXY); loopback when not given. */
  trustProxy?: boolean | number | string;
}

/** The HTTP app: security headers, JSON bodies, feature routers, one error middleware. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? 'loopback');
  app.use(
    helmet({
      // Strict CSP for the Vite-built SPA: no inline script, no third-party origin, no framing.
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          // HTTPS is the proxy's job (HSTS); upgrading would break the plain-http local launcher.
          upgradeInsecureRequests: null,
        },
      },
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );
  // API answers carry session-scoped data: never cached by the browser or a proxy.
  app.use('/api', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  app.use(express.json({ limit: '256kb' }));
  for (const router of deps.routers) app.use(router);
  app.use('/api', (_req, _res, next) => next(notFound('route')));
  app.use(errorMiddleware(deps.logger));
  return app;
}
