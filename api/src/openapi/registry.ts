import { Router } from 'express';
import { authRouteSpecs } from '../auth/routes';
import type { ApiDeps } from '../deps';
import { placeRouteSpecs } from '../places/routes';
import { routingRouteSpecs } from '../routing/routes';
import { statsRouteSpecs } from '../stats/routes';
import { tipRouteSpecs } from '../tips/routes';
import { unitRouteSpecs } from '../units/routes';
import { usersRouteSpecs } from '../users/routes';
import { docsRouter } from './document';
import { type AnyRouteSpec, mountRoutes } from './route-spec';

export type WorkflowDeps = Pick<
  ApiDeps,
  'config' | 'database' | 'redisFast' | 'queues' | 'orgKeys' | 'logger'
> & {
  now?: () => Date;
};

/** Every operation of the tips workflow API: the one list both the router and the docs read. */
export function workflowRouteSpecs(deps: WorkflowDeps): AnyRouteSpec[] {
  const db = deps.database.db;
  return [
    ...tipRouteSpecs({
      db,
      orgKeys: deps.orgKeys,
      notifyQueue: deps.queues.notify,
      logger: deps.logger,
      redisFast: deps.redisFast,
      redisPrefix: deps.config.REDIS_PREFIX,
      ...(deps.config.TINBAO_BOT_API_TOKEN ? { botApiToken: deps.config.TINBAO_BOT_API_TOKEN } : {}),
      ...(deps.now ? { now: deps.now } : {}),
    }),
    ...unitRouteSpecs({ db }),
    ...routingRouteSpecs({ db }),
    ...statsRouteSpecs({ db, ...(deps.now ? { now: deps.now } : {}) }),
    ...placeRouteSpecs(),
  ];
}

/** Tips, units, routing, stats, place search under /api/v1, and their docs at /api/docs. */
export function workflowRouter(deps: WorkflowDeps): Router {
  const specs = workflowRouteSpecs(deps);
  const router = Router();
  mountRoutes(router, specs, { ...deps, ...(deps.now ? { now: deps.now } : {}) });
  // The docs also list the accounts API (auth, users), mounted by its own routers.
  router.use(docsRouter([...authRouteSpecs(deps), ...usersRouteSpecs(deps), ...specs]));
  return router;
}
