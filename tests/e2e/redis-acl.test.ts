import { type ChildProcess, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoginGuard } from '@tinbao/api/auth/login-guard';
import { createMetrics } from '@tinbao/api/platform/metrics';
import { createQueues, type Queues } from '@tinbao/api/platform/queues';
import { createRedis } from '@tinbao/api/platform/redis';
import { tips } from '@tinbao/api/platform/schema';
import { createTestDatabase, type TestDatabase } from '@tinbao/api/platform/test-database';
import { askQuestion } from '@tinbao/api/questions/service';
import { DAILY_PURGE_SCHEDULER_ID, scheduleDailyPurge } from '@tinbao/api/retention/worker';
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
  JOB_NAMES,
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
import { freePort } from '@tinbao/shared/testing/listening';
import { createLogCapture } from '@tinbao/shared/testing/log-capture';
import { buildTipSubmission } from '@tinbao/shared/testing/tips';
import { type Job, Queue, Worker } from 'bullmq';
import { eq } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  composeRedisUrls,
  draftsRedisAcl,
  queueRedisAcl,
  REDIS_ACL_SECRETS,
  REDIS_URL_SECRETS,
  REDIS_USERS,
  type RedisPasswords,
} from '../../scripts/redis-acl';
import { spawnRedisServer, waitForRedis } from '../../scripts/redis-server';
import { REPO_ROOT } from '../support/processes';

// The compose deployment's Redis ACL users (scripts/redis-acl.ts), on redis-servers of this test's
// own: each process does its whole job as its user, and is refused everything else.

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

  it('lets the worker schedule the daily retention purge and run it, as its user', async () => {
    await scheduleDailyPurge(workerQueues.retention);
    expect((await workerQueues.retention.getJobSchedulers()).map((scheduler) => scheduler.key)).toContain(
      DAILY_PURGE_SCHEDULER_ID,
    );
    const retention = workers.find((worker) => worker.name === QUEUE_NAMES.retention)!;
    const job = await workerQueues.retention.add(JOB_NAMES.purgeTips, {});
    const done = await new Promise<Job>((resolve, reject) => {
      retention.on('completed', (completed) => completed.id === job.id && resolve(completed));
      retention.on('failed', (failed, error) => failed?.id === job.id && reject(error));
    });
    expect(done.returnvalue).toMatchObject({ purged: 0 });
    await workerQueues.retention.removeJobScheduler(DAILY_PURGE_SCHEDULER_ID);
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

  it('is what docker-compose.yml gives each process: its own user’s URL and the ACL files, as secrets', async () => {
    const compose = parse(await readFile(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<
        string,
        { command?: string[]; environment?: Record<string, string>; secrets?: string[] }
      >;
      secrets: Record<string, { file: string }>;
    };
    const secretOf = (service: string, variable: string) => {
      const value = compose.services[service]?.environment?.[variable];
      const name = /^\/run\/secrets\/(.+)$/.exec(value ?? '')?.[1];
      expect(name, `${service}: ${variable}`).toBeDefined();
      expect(compose.services[service]?.secrets).toContain(name);
      expect(compose.secrets[name!]?.file).toBe(`./secrets/${name}`);
      return name;
    };
    // Each process its own user on the queue's Redis, the gateway its own on the drafts Redis.
    expect(secretOf('api', 'REDIS_URL_FILE')).toBe(REDIS_URL_SECRETS.api);
    expect(secretOf('worker', 'REDIS_URL_FILE')).toBe(REDIS_URL_SECRETS.worker);
    expect(compose.services.worker?.environment?.TINBAO_ROLE).toBe('worker');
    expect(compose.services.api?.environment?.TINBAO_ROLE).toBe('http');
    expect(secretOf('bot', 'REDIS_URL_FILE')).toBe(REDIS_URL_SECRETS.bot);
    expect(secretOf('bot', 'DRAFT_REDIS_URL_FILE')).toBe(REDIS_URL_SECRETS.drafts);
    for (const [service, acl] of [
      ['redis', REDIS_ACL_SECRETS.queue],
      ['redis-drafts', REDIS_ACL_SECRETS.drafts],
    ] as const) {
      const command = compose.services[service]?.command ?? [];
      expect(command.slice(command.indexOf('--aclfile'))).toEqual(['--aclfile', `/run/secrets/${acl}`]);
      expect(compose.services[service]?.secrets).toEqual([acl]);
    }
    // No Redis URL in the environment at all (with or without a password).
    expect(JSON.stringify(compose.services)).not.toContain('redis://');
    // What those secrets hold: each user on its own Redis service.
    expect(composeRedisUrls(passwords)).toEqual({
      api: `redis://tinbao-api:${passwords.api}@redis:6379`,
      worker: `redis://tinbao-worker:${passwords.worker}@redis:6379`,
      bot: `redis://tinbao-bot:${passwords.bot}@redis:6379`,
      drafts: `redis://tinbao-bot:${passwords.drafts}@redis-drafts:6379`,
    });
  });

  it('npm run redis-acl makes the URL secrets once and the ACL files from them on every run', async () => {
    const secrets = join(dir, 'secrets');
    const run = () =>
      spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts/redis-acl.ts')], {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, TINBAO_SECRETS_DIR: secrets },
        encoding: 'utf8',
      });
    const first = run();
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const read = async (name: string) => readFile(join(secrets, name), 'utf8');
    const urls = Object.fromEntries(
      await Promise.all(
        Object.entries(REDIS_URL_SECRETS).map(async ([key, name]) => [key, (await read(name)).trim()]),
      ),
    ) as Record<keyof RedisPasswords, string>;
    const made = Object.fromEntries(
      Object.entries(urls).map(([key, value]) => [key, decodeURIComponent(new URL(value).password)]),
    ) as unknown as RedisPasswords;
    expect(new Set(Object.values(made)).size).toBe(4);
    for (const password of Object.values(made)) expect(password).toMatch(/^[0-9a-f]{64}$/);
    expect(urls).toEqual(composeRedisUrls(made));
    expect(await read(REDIS_ACL_SECRETS.queue)).toBe(queueRedisAcl('tinbao', made));
    expect(await read(REDIS_ACL_SECRETS.drafts)).toBe(draftsRedisAcl('tinbao', made.drafts));
    for (const password of Object.values(made)) {
      expect(await read(REDIS_ACL_SECRETS.queue)).not.toContain(password);
      expect(await read(REDIS_ACL_SECRETS.drafts)).not.toContain(password);
    }
    for (const name of [...Object.values(REDIS_URL_SECRETS), ...Object.values(REDIS_ACL_SECRETS)])
      expect((await stat(join(secrets, name))).mode & 0o777).toBe(0o444);

    // Again: the same passwords, the ACL files rewritten (the 0444 files replaced, not opened).
    const second = run();
    expect(second.stderr).toBe('');
    expect(second.status).toBe(0);
    expect((await read(REDIS_URL_SECRETS.api)).trim()).toBe(urls.api);
    expect(await read(REDIS_ACL_SECRETS.queue)).toBe(queueRedisAcl('tinbao', made));
  });
});
