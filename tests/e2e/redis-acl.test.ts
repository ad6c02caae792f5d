import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoginGuard } from '@tinbao/api/auth/login-guard';
import { createMetrics } from '@tinbao/api/platform/metrics';
import { createQueues, type Queues } from '@tinbao/api/platform/queues';
import { createRedis } from '@tinbao/api/platform/redis';
import { tips } from '@tinbao/api/platform/schema';
import { createTestDatabase, type TestDatabase } from '@tinbao/api/platform/test-database';
import { askQuestion } from '@tinbao/api/questions/service';
import { seedTestAdminUnits } from '@tinbao/api/tips/testing';
import { startWorkers } from '@tinbao/api/workers';
import { assertVolatileRedis } from '@tinbao/bot/drafts/volatile-redis';
import { createBotRedis, waitForRedis as waitForBotRedis } from '@tinbao/bot/redis';
import {
  answerJobId,
  answerRecordKey,
  bullPrefix,
  createLogger,
  generateKeyPair,
  intakeRecordKey,
  type KeyPair,
  QUEUE_NAMES,
  type RelayJob,
  type StoreAnswerJob,
  type StoreTipJob,
  sealAnswer,
  sealTip,
  splitSubmission,
  submitSealedAnswer,
  submitSealedTip,
} from '@tinbao/shared';
import { createLogCapture } from '@tinbao/shared/testing/log-capture';
import { buildTipSubmission } from '@tinbao/shared/testing/tips';
import { type Job, Queue, Worker } from 'bullmq';
import { eq } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftsRedisAcl, queueRedisAcl, REDIS_USERS, type RedisPasswords } from '../../scripts/redis-acl';
import { spawnRedisServer, waitForRedis } from '../../scripts/redis-server';
import { REPO_ROOT } from '../support/processes';

// The compose deployment's Redis ACL users (scripts/redis-acl.ts), on redis-servers of this test's
// own: each process does its whole job as its user, and is refused everything else.

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const url = (port: number, user: string, password: string) => `redis://${user}:${password}@127.0.0.1:${port}`;

/** Redis's first reply line to one command on a fresh, unauthenticated connection. */
function rawReply(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => socket.write(`${command}\r\n`));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().split('\r\n')[0] ?? '');
    });
    socket.once('error', reject);
  });
}

/** The error a command ends with ('' when it succeeds). */
const refusal = (command: Promise<unknown>) =>
  command.then(
    () => '',
    (error: Error) => error.message,
  );

describe('the Redis ACL users of the compose deployment', () => {
  const prefix = `acl-${Date.now()}`;
  const passwords: RedisPasswords = {
    api: 'a'.repeat(40),
    worker: 'w'.repeat(40),
    bot: 'b'.repeat(40),
    drafts: 'd'.repeat(40),
  };
  const servers: ChildProcess[] = [];
  const connections: Redis[] = [];
  const logs = createLogCapture();
  const logger = createLogger({ name: 'acl', level: 'debug', destination: logs.stream });
  let dir: string;
  let queuePort: number;
  let draftsPort: number;
  let database: TestDatabase;
  let org: KeyPair;
  let workerQueues: Queues;
  let workers: Worker[] = [];

  const keep = (redis: Redis) => {
    connections.push(redis);
    return redis;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tinbao-acl-'));
    await writeFile(join(dir, 'queue-users.acl'), queueRedisAcl(prefix, passwords));
    await writeFile(join(dir, 'drafts-users.acl'), draftsRedisAcl(prefix, passwords.drafts));
    queuePort = await freePort();
    draftsPort = await freePort();
    for (const [port, file] of [
      [queuePort, 'queue-users.acl'],
      [draftsPort, 'drafts-users.acl'],
    ] as const) {
      const server = spawnRedisServer({
        port,
        settings: [`aclfile "${join(dir, file)}"`, 'save ""', 'appendonly no'],
      });
      servers.push(server);
    }
    await waitForRedis(servers[0]!, queuePort, passwords.worker, 30_000, REDIS_USERS.worker);
    await waitForRedis(servers[1]!, draftsPort, passwords.drafts, 30_000, REDIS_USERS.bot);

    database = await createTestDatabase('pglite');
    await seedTestAdminUnits(database.db, ['44']);
    org = await generateKeyPair();
    const workerRedis = keep(
      createRedis(url(queuePort, REDIS_USERS.worker, passwords.worker), 'queue', 'worker'),
    );
    workerQueues = createQueues(workerRedis, prefix);
    workers = startWorkers(
      {
        db: database.db,
        redis: workerRedis,
        queueConnection: workerRedis,
        redisPrefix: prefix,
        queues: workerQueues,
        orgKeys: org,
        metrics: createMetrics(),
        logger,
      },
      { concurrency: 2, lockDurationMs: 30_000 },
    );
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    await workerQueues?.close();
    for (const redis of connections) redis.disconnect();
    for (const server of servers) {
      if (server.exitCode !== null) continue;
      const exited = once(server, 'exit');
      server.kill('SIGTERM');
      await exited;
    }
    await database?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('lets the gateway queue a tip and the worker store it, each as its own user', async () => {
    const botRedis = keep(createBotRedis(url(queuePort, REDIS_USERS.bot, passwords.bot)));
    expect(await waitForBotRedis(botRedis, 10_000)).toBe(true);
    const intakeQueue = new Queue<StoreTipJob>(QUEUE_NAMES.intake, {
      connection: botRedis,
      prefix: bullPrefix(prefix),
    });
    const { clear, content } = splitSubmission(buildTipSubmission());
    const stored = new Promise<Job>((resolve, reject) => {
      workers[0]!.on('completed', (job) => job.id === clear.id && resolve(job));
      workers[0]!.on('failed', (job, error) => job?.id === clear.id && reject(error));
    });
    await submitSealedTip(
      { redis: botRedis, redisPrefix: prefix, intakeQueue },
      { clear, envelope: await sealTip(content, clear, [org.publicKey]) },
    );
    // Idempotence check the gateway makes on a retried «Gửi»: it may look its own job up.
    expect((await intakeQueue.getJob(clear.id))?.id).toBe(clear.id);
    expect((await stored).returnvalue).toEqual({ tipId: clear.id, stored: true });
    expect(await database.db.select({ id: tips.id }).from(tips).where(eq(tips.id, clear.id))).toHaveLength(1);

    // A resident's answer to a staff question: written (never read) by the gateway, stored by the worker.
    const question = await askQuestion(
      { db: database.db, orgKeys: org, officersMayAsk: false },
      { userId: crypto.randomUUID(), role: 'admin', unitId: null, provinceCode: null },
      clear.id,
      'Việc này thường diễn ra vào giờ nào?',
    );
    const answer = {
      answerId: crypto.randomUUID(),
      tipId: clear.id,
      questionId: question.id,
      answeredAt: new Date().toISOString(),
    };
    const answered = new Promise<Job>((resolve, reject) => {
      workers[0]!.on('completed', (job) => job.id === answerJobId(answer.answerId) && resolve(job));
      workers[0]!.on('failed', (job, error) => job?.id === answerJobId(answer.answerId) && reject(error));
    });
    await submitSealedAnswer(
      { redis: botRedis, redisPrefix: prefix, intakeQueue: intakeQueue as unknown as Queue<StoreAnswerJob> },
      { clear: answer, envelope: await sealAnswer('Khoảng 10 giờ tối', answer, [org.publicKey]) },
    );
    expect((await answered).returnvalue).toEqual({ answerId: answer.answerId, stored: true });
    expect(await refusal(botRedis.hgetall(answerRecordKey(prefix, answer.answerId)))).toMatch(/NOPERM/);
    await intakeQueue.close();

    // The relay queue: the worker's notify step adds, the gateway's relay worker takes.
    const relayed = new Promise<Job>((resolve) => {
      const relay = new Worker<RelayJob>(QUEUE_NAMES.relay, async () => 'sent', {
        connection: botRedis.duplicate(),
        prefix: bullPrefix(prefix),
      });
      relay.on('completed', async (job) => {
        await relay.close();
        resolve(job);
      });
    });
    await workerQueues.relay.add('relay-message', {
      kind: 'unit-notification',
      unitId: crypto.randomUUID(),
      target: { channel: 'telegram', address: '-100123456' },
      text: 'Có tin báo mới.',
    });
    expect((await relayed).returnvalue).toBe('sent');
  });

  it('gives the gateway no read of intake records and nothing of the api’s or the other queues', async () => {
    const bot = keep(createBotRedis(url(queuePort, REDIS_USERS.bot, passwords.bot)));
    await waitForBotRedis(bot, 10_000);
    await bot.hset(intakeRecordKey(prefix, 'x'), 'clear', '{}');
    expect(await refusal(bot.hgetall(intakeRecordKey(prefix, 'x')))).toMatch(/NOPERM/);
    expect(await refusal(bot.get(`${prefix}:login-failures:someone`))).toMatch(/NOPERM/);
    expect(await refusal(bot.hgetall(`${bullPrefix(prefix)}:triage:1`))).toMatch(/NOPERM/);
    expect(await refusal(bot.keys('*'))).toMatch(/NOPERM/);
    expect(await refusal(bot.flushall())).toMatch(/NOPERM/);
    expect(await refusal(bot.config('GET', 'dir'))).toMatch(/NOPERM/);
  });

  it('gives the api its counters and notify jobs, and no intake record or queue administration', async () => {
    const api = keep(createRedis(url(queuePort, REDIS_USERS.api, passwords.api), 'queue', 'api'));
    const queues = createQueues(api, prefix);
    await queues.notify.add('notify-unit', { tipId: crypto.randomUUID(), unitId: crypto.randomUUID() });
    expect(await queues.notify.getJobCounts('waiting', 'active', 'completed')).toBeDefined();
    await api.multi().incr(`${prefix}:login-failures:k`).expire(`${prefix}:login-failures:k`, 60).exec();
    // The login defences' Lua scripts and keys (counted in Redis, not in the in-process fallback).
    const guardLogs = createLogCapture();
    const guard = new LoginGuard(
      api,
      prefix,
      createLogger({ name: 'api', level: 'warn', destination: guardLogs.stream }),
    );
    const admission = await guard.admit(
      {
        address: 'a',
        account: 'b',
        device: 'c',
        countAddress: true,
        paid: false,
        mustPay: false,
        ipLimit: 20,
        powAfter: 5,
        deviceLimit: 5,
      },
      new Date(),
    );
    expect(admission.verdict).toBe('go');
    await guard.addAll(
      [
        ['account', 'b'],
        ['address', 'a'],
      ],
      -1,
      new Date(),
    );
    await api.set(`${prefix}:login-pow-spent:k`, '1', 'PX', 60_000, 'NX');
    expect(guardLogs.text()).not.toContain('redis unavailable');
    await api.incr(`${prefix}:receipt-lookups:k`);
    expect(await refusal(api.hgetall(intakeRecordKey(prefix, 'x')))).toMatch(/NOPERM/);
    expect(await refusal(api.del(`${bullPrefix(prefix)}:intake:wait`))).toMatch(/NOPERM/);
    expect(await refusal(api.flushall())).toMatch(/NOPERM/);
    expect(await refusal(api.call('ACL', 'LIST'))).toMatch(/NOPERM/);
    await queues.close();
  });

  it('keeps the worker from the api’s counters and from administration', async () => {
    const worker = keep(createRedis(url(queuePort, REDIS_USERS.worker, passwords.worker), 'queue', 'w'));
    expect(await worker.ping()).toBe('PONG');
    expect(await refusal(worker.get(`${prefix}:login-failures:k`))).toMatch(/NOPERM/);
    expect(await refusal(worker.flushall())).toMatch(/NOPERM/);
    expect(await refusal(worker.call('MONITOR'))).toMatch(/NOPERM/);
  });

  it('answers nobody without a user and password, nor with a wrong one', async () => {
    expect(await rawReply(queuePort, 'GET x')).toMatch(/^-NOAUTH/);
    expect(await rawReply(queuePort, `AUTH ${REDIS_USERS.api} ${'x'.repeat(40)}`)).toMatch(/^-WRONGPASS/);
    // The default user is off: no password at all opens it.
    expect(await rawReply(queuePort, 'AUTH default nopass')).toMatch(/^-WRONGPASS/);
  });

  it('lets the gateway keep drafts in its own Redis and check that it persists nothing, and nothing more', async () => {
    const drafts = keep(createBotRedis(url(draftsPort, REDIS_USERS.bot, passwords.drafts)));
    await waitForBotRedis(drafts, 10_000);
    await assertVolatileRedis(drafts, false);
    await drafts.set(`${prefix}:bot:draft:k`, 'sealed', 'EX', 60);
    expect(await drafts.get(`${prefix}:bot:draft:k`)).toBe('sealed');
    expect(await refusal(drafts.set(`${prefix}:intake-record:k`, 'x'))).toMatch(/NOPERM/);
    expect(await refusal(drafts.config('SET', 'appendonly', 'yes'))).toMatch(/NOPERM/);
    // The queue's users do not exist here.
    expect(await rawReply(draftsPort, `AUTH ${REDIS_USERS.api} ${passwords.api}`)).toMatch(/^-WRONGPASS/);
  });

  it('is what docker-compose.yml gives each process: its own user in REDIS_URL, the ACL files as secrets', async () => {
    const compose = await readFile(join(REPO_ROOT, 'docker-compose.yml'), 'utf8');
    for (const user of Object.values(REDIS_USERS)) expect(compose).toContain(`redis://${user}:`);
    expect(compose).toContain('redis://tinbao-bot:${REDIS_DRAFTS_PASSWORD');
    expect(compose).toContain('"--aclfile", "/run/secrets/redis-queue-users"');
    expect(compose).toContain('"--aclfile", "/run/secrets/redis-drafts-users"');
    expect(compose).not.toMatch(/redis:\/\/redis(-drafts)?:6379/);
  });
});
