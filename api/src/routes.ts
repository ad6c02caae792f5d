import type { Router } from 'express';
import { authRouter } from './auth/routes';
import type { ApiDeps } from './deps';
import { healthRouter } from './health/routes';
import { workflowRouter } from './openapi/registry';
import { uiRouter } from './ui/routes';
import { usersRouter } from './users/routes';

/** Every feature router of the HTTP API, in mounting order. Features add their line here. */
export function featureRouters(deps: ApiDeps): Router[] {
  return [
    healthRouter({ database: deps.database, redisHealth: deps.redisFast }),
    authRouter(deps),
    usersRouter(deps),
    workflowRouter(deps),
    // Last: the moderation UI and its SPA fallback answer every GET no API route took.
    uiRouter(deps),
  ];
}
