import { Router } from 'express';
import { loginKeysOf } from './auth/login-keys';
import type { PasswordCost } from './auth/passwords';
import { authRouteSpecs } from './auth/routes';
import type { ApiDeps } from './deps';
import { domainEvents } from './events/subscribers';
import { healthRouter } from './health/routes';
import { docsRouter } from './openapi/document';
import { type AnyRouteSpec, mountRoutes } from './openapi/route-spec';
import { placeRouteSpecs } from './places/routes';
import { questionRouteSpecs } from './questions/routes';
import { retentionPolicyOf } from './retention/config';
import { retentionRouteSpecs } from './retention/routes';
import { routingRouteSpecs } from './routing/routes';
import { statsRouteSpecs } from './stats/routes';
import { tipRouteSpecs } from './tips/routes';
import { uiRouter } from './ui/routes';
import { unitRouteSpecs } from './units/routes';
import { usersRouteSpecs } from './users/routes';

/** What features are built from: the composition root's deps, a clock tests can move. */
export type FeatureDeps = ApiDeps & { now?: () => Date; passwordCost?: PasswordCost };

export interface Feature {
  name: string;
  /** The feature's operations under /api/v1: mounted, documented and in the authorisation matrix. */
  routes(deps: FeatureDeps): AnyRouteSpec[];
  /**
   * False only where the matrix's fixed, logged-in personas cannot run the operations (login
   * and logout change the sessions themselves); their own tests cover every role.
   */
  inAuthorisationMatrix?: false;
}

const clock = (deps: FeatureDeps) => (deps.now ? { now: deps.now } : {});

/**
 * Every feature of the HTTP API, in one list: the router, the OpenAPI document and the
 * authorisation matrix test all read it. A new feature is one entry here (see docs/ARCHITECTURE.md).
 */
export const FEATURES: readonly Feature[] = [
  {
    name: 'auth',
    routes: (deps) => authRouteSpecs({ ...deps, ...clock(deps) }),
    inAuthorisationMatrix: false,
  },
  { name: 'users', routes: (deps) => usersRouteSpecs({ ...deps, ...clock(deps) }) },
  {
    name: 'tips',
    routes: (deps) =>
      tipRouteSpecs({
        db: deps.database.db,
        orgKeys: deps.orgKeys,
        events: domainEvents({ notifyQueue: deps.queues.notify, logger: deps.logger }),
        logger: deps.logger,
        redisFast: deps.redisFast,
        redisPrefix: deps.config.REDIS_PREFIX,
        clientKey: async (client) => (await loginKeysOf(deps.config)).clientKey({ address: client }),
        ...(deps.config.TINBAO_BOT_API_TOKEN ? { botApiToken: deps.config.TINBAO_BOT_API_TOKEN } : {}),
        officersMayAsk: deps.config.TINBAO_OFFICERS_MAY_ASK,
        ...clock(deps),
      }),
  },
  {
    name: 'questions',
    routes: (deps) =>
      questionRouteSpecs({
        db: deps.database.db,
        orgKeys: deps.orgKeys,
        officersMayAsk: deps.config.TINBAO_OFFICERS_MAY_ASK,
        ...clock(deps),
      }),
  },
  { name: 'units', routes: (deps) => unitRouteSpecs({ db: deps.database.db }) },
  { name: 'routing', routes: (deps) => routingRouteSpecs({ db: deps.database.db }) },
  { name: 'stats', routes: (deps) => statsRouteSpecs({ db: deps.database.db, ...clock(deps) }) },
  { name: 'places', routes: () => placeRouteSpecs() },
  {
    name: 'retention',
    routes: (deps) =>
      retentionRouteSpecs({ db: deps.database.db, policy: retentionPolicyOf(deps.config), ...clock(deps) }),
  },
];

/** The route specs of these features (default: all), wired to the deps. */
export function featureRouteSpecs(
  deps: FeatureDeps,
  features: readonly Feature[] = FEATURES,
): AnyRouteSpec[] {
  return features.flatMap((feature) => feature.routes(deps));
}

/** Every operation under /api/v1, and their docs at /api/docs (generated from the same specs). */
export function apiRouter(deps: FeatureDeps, features: readonly Feature[] = FEATURES): Router {
  const specs = featureRouteSpecs(deps, features);
  const router = Router();
  mountRoutes(router, specs, { ...deps, ...clock(deps) });
  router.use(docsRouter(specs));
  return router;
}

/** The app's routers in mounting order: health, the API, and last the UI (its SPA fallback takes every other GET). */
export function featureRouters(deps: FeatureDeps): Router[] {
  return [
    healthRouter({ database: deps.database, redisHealth: deps.redisFast, metrics: deps.metrics.registry }),
    apiRouter(deps),
    uiRouter(deps),
  ];
}
