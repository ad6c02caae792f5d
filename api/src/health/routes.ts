import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { Database } from '../platform/db';
import { withTimeout } from '../platform/redis';

export interface HealthDeps {
  database: Database;
  /** A fast-fail connection: answers at once while Redis is down. */
  redisHealth: Redis;
  /** The process's Prometheus registry, served at GET /metrics (counts only, never content). */
  metrics?: Registry;
}

type Check = { ok: true; latencyMs: number } | { ok: false; error: string };

async function check(run: () => Promise<unknown>, what: string): Promise<Check> {
  const started = performance.now();
  try {
    await withTimeout(run(), 1500, what);
    return { ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** GET /healthz: 200 when the database and Redis both answer, 503 otherwise, with each one's state. */
export function healthRouter(deps: HealthDeps): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const [database, redis] = await Promise.all([
      check(() => deps.database.ping(), 'database ping'),
      check(() => deps.redisHealth.ping(), 'redis ping'),
    ]);
    const ok = database.ok && redis.ok;
    res
      .status(ok ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({
        ok,
        status: ok ? 'ok' : 'degraded',
        database: { engine: deps.database.engine, ...database },
        redis,
      });
  });
  const { metrics } = deps;
  if (metrics) {
    router.get('/metrics', async (_req, res) => {
      res.status(200).set('Content-Type', metrics.contentType).set('Cache-Control', 'no-store');
      res.send(await metrics.metrics());
    });
  }
  return router;
}
