import { Agent, request } from 'node:http';
import { createTestUser, type TestUser, totpCode } from '@tinbao/api/auth/testing';
import { type Database, openDatabase } from '@tinbao/api/platform/db';
import { auditEvents, users } from '@tinbao/api/platform/schema';
import { createApiScratch } from '@tinbao/api/platform/test-scratch';
import { type Argon2Pool, createArgon2Pool, solveProofOfWork } from '@tinbao/shared';
import { type ProofOfWork, ProofOfWorkRequiredSchema } from '@tinbao/shared/api/auth';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RunningProcess, startTsProcess } from '../support/processes';

/**
 * Issue 11, "logins survive a flood": the real api process (its own event loop, PostgreSQL,
 * Redis, its bounded argon2id pool) under 60 concurrent bad logins for one account, while
 * its owner logs in from a browser that logged in before.
 */
const ATTACKERS = 60;
/** Of them, these reuse one address each (a small botnet); the others take a new one per try (see the attackers' program). */
const FIXED_ADDRESS_ATTACKERS = 10;
const OWNER_LOGINS = 20;
const OFFICE = '10.200.0.1'; // the owner's address, shared with one of the fixed attackers (NAT)

interface Answer {
  status: number;
  body: Record<string, unknown>;
  setCookie: string[];
}

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error(error));
});

describe('login under flood', () => {
  let api: RunningProcess;
  let port: number;
  let db: Database;
  let owner: TestUser;
  let solver: Argon2Pool;

  /** One JSON POST over its own keep-alive agent (the owner's never queue behind the attackers'). */
  const post = (agent: Agent, path: string, body: unknown, headers: Record<string, string> = {}) =>
    new Promise<Answer>((resolve, reject) => {
      const payload = JSON.stringify(body);
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path,
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const setCookie = res.headers['set-cookie'] ?? [];
            resolve({
              status: res.statusCode ?? 0,
              body: JSON.parse(Buffer.concat(chunks).toString()),
              setCookie,
            });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });

  const solve = (pow: ProofOfWork) =>
    solveProofOfWork(pow, (input, salt, opslimit, memlimit) =>
      solver.derive(input, salt, { opslimit, memlimit }, 32),
    );

  /** Password then TOTP, as the moderation UI does; resolves with the device cookie it was given. */
  async function ownerLogin(agent: Agent, address: string, deviceCookie?: string) {
    // One TOTP code per 30 s step is accepted once: clear the marker as loginAgent does.
    await db.db.update(users).set({ totpLastStep: null }).where(eq(users.id, owner.id));
    const headers: Record<string, string> = { 'x-forwarded-for': address };
    if (deviceCookie) headers.cookie = deviceCookie;
    const started = performance.now();
    let first = await post(
      agent,
      '/api/v1/auth/login',
      { username: owner.username, password: owner.password },
      headers,
    );
    if (first.body.error === 'proof_of_work_required') {
      const pow = ProofOfWorkRequiredSchema.parse(first.body).pow;
      const nonce = await solve(pow);
      first = await post(
        agent,
        '/api/v1/auth/login',
        { username: owner.username, password: owner.password, pow: { challenge: pow.challenge, nonce } },
        headers,
      );
    }
    const passwordMs = performance.now() - started;
    if (first.status !== 200) return { ms: passwordMs, passwordMs, status: first.status, first };
    const second = await post(
      agent,
      '/api/v1/auth/login/totp',
      { challenge: first.body.challenge, code: totpCode(owner) },
      headers,
    );
    const device = second.setCookie.find((cookie) => cookie.startsWith('tinbao_device='))?.split(';')[0];
    return { ms: performance.now() - started, passwordMs, status: second.status, first, device };
  }

  beforeAll(async () => {
    const { dataDir, masterKey, prefix, databaseUrl } = await createApiScratch(
      'flood',
      { postgres: true },
      cleanups,
    );
    port = await freePort();
    api = startTsProcess('api/src/main.ts', {
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: prefix,
      TINBAO_MASTER_KEY: masterKey.toString('hex'),
      TINBAO_ROLE: 'http',
      COOKIE_SECURE: 'false',
      SEED_ADMIN_UNITS: 'false',
      // The test is the proxy: it names the attackers' rotating addresses.
      TRUST_PROXY: 'loopback',
      // The production defaults, written out: 20 per address, proof of work after 5 failures
      // at 10 bits; as many hashing threads as this machine's cores (2), 16 waiting at most.
      LOGIN_IP_FAILURE_LIMIT: '20',
      LOGIN_POW_AFTER_FAILURES: '5',
      LOGIN_POW_BITS: '10',
      PASSWORD_HASH_THREADS: '2',
      PASSWORD_HASH_QUEUE: '16',
      LOG_LEVEL: 'info',
    });
    cleanups.push(() => api.kill('SIGKILL'));
    await api.waitForOutput(/api listening/, 90_000);
    db = await openDatabase({ engine: 'postgres', url: databaseUrl, poolSize: 2 });
    cleanups.push(() => db.close());
    // The production cost (OPSLIMIT/MEMLIMIT_INTERACTIVE), as a real account has.
    owner = await createTestUser(db.db, masterKey, { role: 'moderator', passwordCost: 'interactive' });
    solver = createArgon2Pool({ threads: 1 });
    cleanups.push(() => solver.close());
  }, 120_000);

  it('the owner (known device) logs in with p99 < 1 s while 60 concurrent bad logins from rotating addresses are slowed by proof of work and 429s; the account is not locked', async () => {
    const ownerAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    const attackerAgent = new Agent({ keepAlive: true, maxSockets: ATTACKERS });
    cleanups.push(async () => {
      ownerAgent.destroy();
      attackerAgent.destroy();
    });

    // Before the flood: the owner logs in once from the office; the browser keeps the device cookie.
    const before = await ownerLogin(ownerAgent, OFFICE);
    expect(before.status).toBe(200);
    const device = before.device as string;
    expect(device).toMatch(/^tinbao_device=[\w-]+$/);
    // The same logins on a quiet server, for comparison.
    const quiet: number[] = [];
    for (let i = 0; i < 5; i++) quiet.push((await ownerLogin(ownerAgent, OFFICE, device)).ms);

    // The attackers: a process of their own, like another machine (tests/support/login-flood-attackers.ts).
    // Their CPU is not the server's: on this 2-core machine they run at the lowest priority, so
    // the figure below is the server's under the flood, not how the scheduler shares two cores
    // between a server and the load generator aimed at it. They still keep 60 requests in flight.
    const flood = startTsProcess(
      'tests/support/login-flood-attackers.ts',
      {
        FLOOD_PORT: String(port),
        FLOOD_USERNAME: owner.username,
        FLOOD_ATTACKERS: String(ATTACKERS),
        FLOOD_FIXED: String(FIXED_ADDRESS_ATTACKERS),
        FLOOD_SHARED_ADDRESS: OFFICE,
        FLOOD_STEADY_AFTER: '1000',
      },
      [],
      { niceness: 19 },
    );
    cleanups.push(() => flood.kill('SIGKILL'));
    // Measured in the steady flood: once 1,000 bad logins were answered (the account asks
    // strangers for proofs of work by then; the start's burst and compilations are over).
    await flood.waitForOutput(/flood on/, 90_000);

    const latencies: number[] = [];
    const passwordSteps: number[] = [];
    const ownerStatuses: number[] = [];
    for (let i = 0; i < OWNER_LOGINS; i++) {
      const login = await ownerLogin(ownerAgent, OFFICE, device);
      latencies.push(login.ms);
      passwordSteps.push(login.passwordMs);
      ownerStatuses.push(login.status);
    }
    void flood.kill('SIGTERM');
    const result = JSON.parse((await flood.waitForOutput(/RESULT .*/, 60_000)).slice('RESULT '.length)) as {
      sent: number;
      seconds: number;
      tally: Record<string, number>;
      solved: number;
      solvingMs: number;
      serverErrors: number;
    };
    const tally = new Map(Object.entries(result.tally));

    const sorted = [...latencies].sort((a, b) => a - b);
    const p = (q: number) =>
      sorted[Math.min(sorted.length - 1, Math.ceil((q / 100) * sorted.length) - 1)] as number;
    const checked = (
      await db.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.subjectId, owner.id), eq(auditEvents.action, 'auth.login_failed')))
    ).filter((event) => (event.details as { reason?: string }).reason === 'bad_password').length;
    console.log(
      [
        `flood: ${result.sent} bad logins in ${result.seconds.toFixed(1)} s from ${ATTACKERS} concurrent attackers (${(result.sent / result.seconds).toFixed(0)}/s)`,
        `  answers: ${[...tally].map(([k, v]) => `${k}: ${v}`).join(', ')}`,
        `  password checks the attackers got: ${checked} (${result.solved} proofs of work paid, ${result.solvingMs.toFixed(0)} ms each on one thread)`,
        `owner (known device): ${OWNER_LOGINS} logins, p50 ${p(50).toFixed(0)} ms, p99 ${p(99).toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms (password steps: ${passwordSteps.map((ms) => ms.toFixed(0)).join(' ')}); quiet server: ${quiet.map((ms) => ms.toFixed(0)).join(' ')} ms`,
      ].join('\n'),
    );

    // The owner: never refused, fast.
    expect(ownerStatuses).toEqual(Array.from({ length: OWNER_LOGINS }, () => 200));
    expect(p(99)).toBeLessThan(1000);
    // The attackers: proofs of work and 429s, and only the few free guesses plus the paid ones checked.
    expect(tally.get('401 proof_of_work_required') ?? 0).toBeGreaterThan(ATTACKERS);
    expect(tally.get('429 rate_limited') ?? 0).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(5 + result.solved);
    expect(result.serverErrors).toBe(0);

    // The account is not locked: not in the database, and not for its owner on a new browser,
    // who pays one proof of work (the UI does it in a worker) and is in.
    const [row] = await db.db.select().from(users).where(eq(users.id, owner.id));
    expect(row?.lockedUntil).toBeNull();
    const newBrowser = new Agent({ keepAlive: false });
    const fresh = await ownerLogin(newBrowser, '10.201.0.1');
    expect(fresh.status).toBe(200);
  }, 240_000);
});
