import type { Router } from 'express';
import type { ApiDeps } from './deps';
import { healthRouter } from './health/routes';

/** Every feature router of the HTTP API, in mounting order. Features add their line here. */
export function featureRouters(deps: ApiDeps): Router[] {
  return [healthRouter({ database: deps.database, redisHealth: deps.redisFast })];
}
