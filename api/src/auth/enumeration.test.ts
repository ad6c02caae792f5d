import { eq } from 'drizzle-orm';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginFailures } from '../platform/schema';
import { ENGINES } from '../platform/test-database';
import { type AuthHarness, createAuthHarness } from './test-harness';
import { createTestUser, type TestUser } from './testing';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

/**
 * With the production argon2id cost on both sides (the real hash and the dummy one checked
 * for unknown users), an unknown username and a wrong password give the same answer in a
 * similar time.
 */
describe.each(ENGINES)('no user enumeration on %s', (engine) => {
  let h: AuthHarness;
  let user: TestUser;

  beforeAll(async () => {
    h = await createAuthHarness(engine, { passwordCost: 'interactive' });
    user = await createTestUser(h.database.db, h.deps, { role: 'moderator', passwordCost: 'interactive' });
  });
  afterAll(async () => {
    await h?.destroy();
  });

  it('same status, same body, similar time', async () => {
    const attempt = async (username: string) => {
      const started = performance.now();
      const res = await supertest(h.app)
        .post('/api/v1/auth/login')
        .send({ username, password: 'not the password!' });
      return { ms: performance.now() - started, status: res.status, body: res.body };
    };
    // Warm-up: the dummy hash is computed once, lazily.
    await attempt('warm-up-user');
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 10; i++) {
      // Interleaved so load changes on the machine hit both series alike; 4 wrong passwords
      // at most before a reset, so the account never locks (a lock would not change the timing).
      const a = await attempt(`unknown-${i}`);
      const b = await attempt(user.username);
      if (i % 4 === 3) {
        await h.database.db.delete(loginFailures).where(eq(loginFailures.userId, user.id));
      }
      expect(a.status).toBe(401);
      expect(b.status).toBe(401);
      expect(a.body).toEqual(b.body);
      unknown.push(a.ms);
      wrong.push(b.ms);
    }
    const [mu, mw] = [median(unknown), median(wrong)];
    console.log(`${engine}: median unknown user ${mu.toFixed(1)} ms, wrong password ${mw.toFixed(1)} ms`);
    expect(Math.max(mu, mw) / Math.min(mu, mw)).toBeLessThan(1.5);
  });
});
