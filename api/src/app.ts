import type { Logger } from '@tinbao/shared';
import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import { errorMiddleware, notFound } from './platform/errors';

export interface AppDeps {
  logger: Logger;
  /** Feature routers, mounted in order. */
  routers: Router[];
}

/** The HTTP app: security headers, JSON bodies, feature routers, one error middleware. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet());
  app.use(express.json({ limit: '256kb' }));
  for (const router of deps.routers) app.use(router);
  app.use('/api', (_req, _res, next) => next(notFound('route')));
  app.use(errorMiddleware(deps.logger));
  return app;
}
