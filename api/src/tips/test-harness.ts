/** Test support for the tips workflow: an app with auth + workflow routes, users of every role, units. */
import { generateKeyPair, type KeyPair } from '@tinbao/shared';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import { createApp } from '../app';
import { authRouter } from '../auth/routes';
import { type AuthHarness, createAuthHarness } from '../auth/test-harness';
import { createTestUser, loginAgent, type TestAgent, type TestUser } from '../auth/testing';
import { workflowRouter } from '../openapi/registry';
import { createQueues, type Queues } from '../platform/queues';
import { createRedis } from '../platform/redis';
import type { Engine } from '../platform/test-database';
import { communePoliceUnitId, seedTestAdminUnits } from './testing';

/** Xã Đakrông and a neighbour in Quảng Trị (province 44). */
export const COMMUNE_A = '19564';

export type Persona = 'anonymous' | 'moderator' | 'officerRouted' | 'officerOther' | 'admin';
export const PERSONAS: Persona[] = ['anonymous', 'moderator', 'officerRouted', 'officerOther', 'admin'];

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
}

export async function createWorkflowHarness(engine: Engine): Promise<WorkflowHarness> {
  const auth = await createAuthHarness(engine);
  const db = auth.database.db;
  await seedTestAdminUnits(db, ['44']);
  const orgKeys = await generateKeyPair();
  const queueRedis = createRedis('redis://127.0.0.1:6379', 'queue', 'workflow-test');
  const queues = createQueues(queueRedis, auth.prefix);
  const deps = {
    config: auth.config,
    database: auth.database,
    redisFast: auth.redis,
    queues,
    orgKeys,
    logger: auth.logger,
  };
  const app = createApp({ logger: auth.logger, routers: [authRouter(auth.deps), workflowRouter(deps)] });
  const unitA = await communePoliceUnitId(db, COMMUNE_A);
  const communeB = '18859';
  const unitB = await communePoliceUnitId(db, communeB);
  const users = {
    moderator: await createTestUser(db, auth.deps, { role: 'moderator' }),
    officerRouted: await createTestUser(db, auth.deps, { role: 'unit_officer', unitId: unitA }),
    officerOther: await createTestUser(db, auth.deps, { role: 'unit_officer', unitId: unitB }),
    admin: await createTestUser(db, auth.deps, { role: 'admin' }),
  };
  const supertest = (await import('supertest')).default;
  const agents = {
    anonymous: supertest.agent(app),
    moderator: (await loginAgent(app, users.moderator)).agent,
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
    destroy: async () => {
      await queues.close();
      queueRedis.disconnect();
      await auth.destroy();
    },
  };
}
