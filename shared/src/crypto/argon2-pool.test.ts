import { afterAll, describe, expect, it } from 'vitest';
import { Argon2PoolFull, argon2Limits, createArgon2Pool } from './argon2-pool';

describe('the argon2 pool', () => {
  const pool = createArgon2Pool({ threads: 1, maxQueue: 2 });
  afterAll(() => pool.close());

  it('hashes and verifies libsodium password strings', async () => {
    const hash = await pool.hashPassword('mật khẩu dài đủ', await argon2Limits('test'));
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await pool.verifyPassword(hash, 'mật khẩu dài đủ')).toBe(true);
    expect(await pool.verifyPassword(hash, 'something else')).toBe(false);
  });

  it('bounds each lane and serves the first lane before the normal one', async () => {
    const slow = await argon2Limits('interactive');
    const hash = await pool.hashPassword('x', await argon2Limits('test'));
    const done: string[] = [];
    const task = (name: string, lane: 'normal' | 'first') =>
      pool.hashPassword(name, slow, lane).then(() => done.push(name));
    // One runs, two wait: the normal lane is then full, the first lane is not.
    const running = task('running', 'normal');
    const waiting = [task('normal-1', 'normal'), task('normal-2', 'normal')];
    expect(pool.pressure).toBe(1);
    await expect(pool.verifyPassword(hash, 'x', 'normal')).rejects.toBeInstanceOf(Argon2PoolFull);
    const first = task('first', 'first');
    await Promise.all([running, first, ...waiting]);
    expect(done).toEqual(['running', 'first', 'normal-1', 'normal-2']);
    expect(pool.queued).toBe(0);
    expect(pool.pressure).toBe(0);
  });
});
