/** Test support for the tips workflow: an app with every feature's routes, users of every role, units. */
import { createLogger, generateKeyPair, type KeyPair } from '@tinbao/shared';
import { createLogCapture } from '@tinbao/shared/testing/log-capture';
import { createTestRedisPrefix, deleteRedisPrefix } from '@tinbao/shared/testing/redis-prefix';
import { asc, like } from 'drizzle-orm';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { createApp } from '../app';
import { type AuthHarness, createAuthHarness } from '../auth/test-harness';
import { createTestUser, loginAgent, type TestAgent, type TestUser } from '../auth/testing';
import { domainEvents } from '../events/subscribers';
import { apiRouter, FEATURES, type FeatureDeps, featureRouteSpecs } from '../features';
import { createMetrics } from '../platform/metrics';
import { createQueues, type Queues } from '../platform/queues';
import { createRedis } from '../platform/redis';
import { adminUnits, units as unitsTable } from '../platform/schema';
import { createTestDatabase, type Engine, type TestDatabase } from '../platform/test-database';
import type { TipsDeps } from './deps';
import { communePoliceUnitId, seedTestAdminUnits } from './testing';

/** Xã Đakrông and a neighbour in Quảng Trị (province 44). */
export const COMMUNE_A = '19564';

/** A province with no commune seeded: the home of `moderatorOtherProvince` (tips are all in 44). */
export const OTHER_PROVINCE = '01';

export type Persona =
  | 'anonymous'
  | 'moderator'
  | 'moderatorOtherProvince'
  | 'officerRouted'
  | 'officerOther'
  | 'admin';
export const PERSONAS: Persona[] = [
  'anonymous',
  'moderator',
  'moderatorOtherProvince',
  'officerRouted',
  'officerOther',
  'admin',
];

export interface WorkflowHarness extends Omit<AuthHarness, 'app'> {
  app: Express;
  orgKeys: KeyPair;
  queues: Queues;
  queueRedis: Redis;
  /** The commune police of COMMUNE_A (the routed unit) and of another commune. */
  unitA: string;
  unitB: string;
  communeB: string;
  users: Record<Exclude<Persona, 'anonymous'>, TestUser>;
  /** Logged-in agents (with CSRF header) per persona; anonymous has no session. */
  agents: Record<Persona, TestAgent>;
  /** What the app was built from (the features' deps). */
  featureDeps: FeatureDeps;
}

/**
 * The harness lets the routed unit's officers ask the resident (TINBAO_OFFICERS_MAY_ASK), so the
 * authorisation matrix reads the questions routes from the permission model alone.
 */
export async function createWorkflowHarness(
  engine: Engine,
  env: Record<string, string> = {},
): Promise<WorkflowHarness> {
  const auth = await createAuthHarness(engine, { env: { TINBAO_OFFICERS_MAY_ASK: 'true', ...env } });
  const db = auth.database.db;
  await seedTestAdminUnits(db, ['44']);
  await db.insert(adminUnits).values({
    code: OTHER_PROVINCE,
    level: 'province',
    name: 'Thành phố Hà Nội',
    unitType: 'Thành phố',
    parentCode: null,
    searchKey: 'thanhphohanoi',
  });
  const orgKeys = await generateKeyPair();
  const queueRedis = createRedis('redis://127.0.0.1:6379', 'queue', 'workflow-test');
  const queues = createQueues(queueRedis, auth.prefix);
  const deps: FeatureDeps = {
    config: auth.config,
    database: auth.database,
    redis: queueRedis,
    redisFast: auth.redis,
    queues,
    orgKeys,
    metrics: createMetrics(),
    logger: auth.logger,
    passwordCost: 'test',
  };
  const app = createApp({ logger: auth.logger, routers: [apiRouter(deps)] });
  const unitA = await communePoliceUnitId(db, COMMUNE_A);
  const communeB = '18859';
  const unitB = await communePoliceUnitId(db, communeB);
  const users = {
    moderator: await createTestUser(db, auth.deps, { role: 'moderator' }),
    moderatorOtherProvince: await createTestUser(db, auth.deps, {
      role: 'moderator',
      provinceCode: OTHER_PROVINCE,
    }),
    officerRouted: await createTestUser(db, auth.deps, { role: 'unit_officer', unitId: unitA }),
    officerOther: await createTestUser(db, auth.deps, { role: 'unit_officer', unitId: unitB }),
    admin: await createTestUser(db, auth.deps, { role: 'admin' }),
  };
  const supertest = (await import('supertest')).default;
  const agents = {
    anonymous: supertest.agent(app),
    moderator: (await loginAgent(app, users.moderator)).agent,
    moderatorOtherProvince: (await loginAgent(app, users.moderatorOtherProvince)).agent,
    officerRouted: (await loginAgent(app, users.officerRouted)).agent,
    officerOther: (await loginAgent(app, users.officerOther)).agent,
    admin: (await loginAgent(app, users.admin)).agent,
  };
  return {
    ...auth,
    app,
    orgKeys,
    queues,
    queueRedis,
    unitA,
    unitB,
    communeB,
    users,
    agents,
    featureDeps: deps,
    destroy: async () => {
      await queues.close();
      queueRedis.disconnect();
      await auth.destroy();
    },
  };
}

/**
 * The route specs of every feature in the authorisation matrix (features.ts), wired to the
 * harness's own database, Redis, queues and keys.
 */
export function harnessRouteSpecs(h: WorkflowHarness) {
  return featureRouteSpecs(
    h.featureDeps,
    FEATURES.filter((feature) => feature.inAuthorisationMatrix !== false),
  );
}

export interface ServiceHarness {
  database: TestDatabase;
  orgKeys: KeyPair;
  queues: Queues;
  queueRedis: Redis;
  prefix: string;
  deps: TipsDeps;
  logs: ReturnType<typeof createLogCapture>;
  /** Commune police units of province 44, by commune code order. */
  units: string[];
  destroy(): Promise<void>;
}

/** Services without HTTP: a migrated database with province 44, org keys, real queues on a prefix of its own. */
export async function createServiceHarness(engine: Engine): Promise<ServiceHarness> {
  const database = await createTestDatabase(engine);
  await seedTestAdminUnits(database.db, ['44']);
  const orgKeys = await generateKeyPair();
  const prefix = createTestRedisPrefix();
  const queueRedis = createRedis('redis://127.0.0.1:6379', 'queue', 'tips-service-test');
  const queues = createQueues(queueRedis, prefix);
  const logs = createLogCapture();
  const logger = createLogger({ name: 'api', level: 'debug', destination: logs.stream });
  const unitRows = await database.db
    .select({ id: unitsTable.id })
    .from(unitsTable)
    .where(like(unitsTable.code, 'CA-%'))
    .orderBy(asc(unitsTable.code));
  return {
    database,
    orgKeys,
    queues,
    queueRedis,
    prefix,
    logs,
    deps: { db: database.db, orgKeys, events: domainEvents({ notifyQueue: queues.notify, logger }), logger },
    units: unitRows.map((u) => u.id),
    destroy: async () => {
      await queues.close();
      await deleteRedisPrefix(queueRedis, prefix);
      queueRedis.disconnect();
      await database.destroy();
    },
  };
}

/**
 * The test file's workflow harness: created before its tests and destroyed after them. The
 * object returned stands for it, so tests write `h.agents.admin` as with their own `let h`.
 */
export function useWorkflowHarness(engine: Engine): WorkflowHarness {
  let current: WorkflowHarness | undefined;
  beforeAll(async () => {
    current = await createWorkflowHarness(engine);
  });
  afterAll(async () => {
    await current?.destroy();
  });
  return new Proxy({} as WorkflowHarness, {
    get: (_target, key) => {
      if (!current) throw new Error('the workflow harness exists inside tests only (after beforeAll)');
      return current[key as keyof WorkflowHarness];
    },
  });
}
