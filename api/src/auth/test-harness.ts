/** Test support for the auth and users tests: an app with the auth routers, an injected clock. */
import { randomBytes } from 'node:crypto';
import { type Argon2Pool, createArgon2Pool, createLogger, type Logger } from '@tinbao/shared';
import { createLogCapture } from '@tinbao/shared/testing/log-capture';
import { createTestRedisPrefix, deleteRedisPrefix } from '@tinbao/shared/testing/redis-prefix';
import { type Express, Router } from 'express';
import type { Redis } from 'ioredis';
import { createApp } from '../app';
import { type ApiConfig, ApiConfigSchema } from '../config';
import { mountRoutes } from '../openapi/route-spec';
import { createRedis } from '../platform/redis';
import { units } from '../platform/schema';
import { createTestDatabase, type Engine, type TestDatabase } from '../platform/test-database';
import { usersRouteSpecs } from '../users/routes';
import type { PasswordCost } from './passwords';
import { type AuthRouterDeps, authRouteSpecs } from './routes';

export interface AuthHarness {
  database: TestDatabase;
  redis: Redis;
  prefix: string;
  config: ApiConfig;
  logger: Logger;
  logs: ReturnType<typeof createLogCapture>;
  /** The injected clock: real time plus an offset; tests move it by assigning `clock.now`. */
  clock: { now: Date };
  deps: AuthRouterDeps;
  app: Express;
  /** Another app on the same database and Redis with different settings. */
  appWith(overrides: Record<string, string>, passwordCost?: PasswordCost): Express;
  createUnit(code?: string): Promise<string>;
  destroy(): Promise<void>;
}

export async function createAuthHarness(
  engine: Engine,
  options: { passwordCost?: PasswordCost; env?: Record<string, string>; database?: TestDatabase } = {},
): Promise<AuthHarness> {
  const database = options.database ?? (await createTestDatabase(engine));
  const redis = createRedis('redis://127.0.0.1:6379', 'fast-fail', 'auth-test');
  await new Promise<void>((resolve, reject) => {
    redis.once('ready', resolve);
    redis.once('end', () => reject(new Error('redis not reachable')));
  });
  const prefix = createTestRedisPrefix();
  const logs = createLogCapture();
  const logger = createLogger({ name: 'api', level: 'info', destination: logs.stream });
  // Follows the real time (TOTP codes computed by loginAgent stay valid) plus an offset that
  // a test moves by assigning `clock.now`.
  let offsetMs = 0;
  const clock = {
    get now() {
      return new Date(Date.now() + offsetMs);
    },
    set now(value: Date) {
      offsetMs = value.getTime() - Date.now();
    },
  };
  const masterKey = randomBytes(32).toString('hex');
  const configOf = (overrides: Record<string, string>) =>
    ApiConfigSchema.parse({
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: prefix,
      TINBAO_MASTER_KEY: masterKey,
      COOKIE_SECURE: 'false',
      LOGIN_IP_FAILURE_LIMIT: '100000',
      // Like the address limit, the proof of work is off but where a test is about it (appWith).
      LOGIN_POW_AFTER_FAILURES: '100000',
      LOGIN_POW_BITS: '4',
      // The tests speak for many clients through X-Forwarded-For from loopback.
      TRUST_PROXY: 'loopback',
      ...options.env,
      ...overrides,
    });
  const config = configOf({});
  // Each app gets the api's bounded pool, sized by its own configuration; closed on destroy.
  const pools: Argon2Pool[] = [];
  const depsOf = (cfg: ApiConfig, cost: PasswordCost): AuthRouterDeps => {
    const argon2 = createArgon2Pool({
      threads: cfg.PASSWORD_HASH_THREADS,
      maxQueue: cfg.PASSWORD_HASH_QUEUE,
    });
    pools.push(argon2);
    return {
      database,
      config: cfg,
      logger,
      redisFast: redis,
      now: () => clock.now,
      passwordCost: cost,
      argon2,
    };
  };
  const appOf = (deps: AuthRouterDeps, cfg: ApiConfig) => {
    const router = Router();
    mountRoutes(router, [...authRouteSpecs(deps), ...usersRouteSpecs(deps)], deps);
    return createApp({ logger, routers: [router], trustProxy: cfg.TRUST_PROXY });
  };
  const deps = depsOf(config, options.passwordCost ?? 'test');
  return {
    database,
    redis,
    prefix,
    config,
    logger,
    logs,
    clock,
    deps,
    app: appOf(deps, config),
    appWith: (overrides, cost) => {
      const cfg = configOf(overrides);
      return appOf(depsOf(cfg, cost ?? options.passwordCost ?? 'test'), cfg);
    },
    createUnit: async (code = `CA-TEST-${randomBytes(3).toString('hex')}`) => {
      const [row] = await database.db
        .insert(units)
        .values({ code, name: `Công an ${code}`, kind: 'commune_police' })
        .returning({ id: units.id });
      if (!row) throw new Error('no unit');
      return row.id;
    },
    destroy: async () => {
      await Promise.all(pools.map((pool) => pool.close()));
      await deleteRedisPrefix(redis, prefix);
      redis.disconnect();
      await database.destroy();
    },
  };
}
