import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { argon2Limits, createArgon2Pool } from '@tinbao/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { createPseudonyms } from './pseudonyms';
import { createReporterPepperFile, createReporterPepperInMemory, periodOf } from './reporter-pepper';

const pool = createArgon2Pool({ threads: 1 });
afterAll(() => pool.close());
const pepper = new Uint8Array(randomBytes(32));

describe('pseudonyms of platform ids', () => {
  it('uses argon2id at 2 passes over 16 MiB in production (about 58 ms a guess here; the bench prints it)', async () => {
    expect(await argon2Limits('pseudonym')).toEqual({ opslimit: 2, memlimit: 16 * 1024 * 1024 });
  });

  it('names one id differently per scope, the same every time, and differently under another pepper', async () => {
    const pseudonyms = createPseudonyms({
      pepper,
      pool,
      cost: 'test',
      reporterPepper: createReporterPepperInMemory(),
    });
    const chat = await pseudonyms.of('zalo-chat', 'zc-1234');
    expect(chat).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await pseudonyms.of('zalo-chat', 'zc-1234')).toBe(chat);
    expect(await pseudonyms.of('zalo-rate', 'zc-1234')).not.toBe(chat);
    expect(await pseudonyms.of('zalo-chat', 'zc-1235')).not.toBe(chat);
    const other = createPseudonyms({
      pepper: new Uint8Array(randomBytes(32)),
      pool,
      cost: 'test',
      reporterPepper: createReporterPepperInMemory(),
    });
    expect(await other.of('zalo-chat', 'zc-1234')).not.toBe(chat);
    // The argon2id-rooted name of the same id and scope is another name again, and stable.
    const hard = await pseudonyms.hard('zalo-chat', 'zc-1234');
    expect(hard).not.toBe(chat);
    expect(await pseudonyms.hard('zalo-chat', 'zc-1234')).toBe(hard);
    expect(await other.hard('zalo-chat', 'zc-1234')).not.toBe(hard);
  });

  it('gives one resident the same reporter pseudonym within a month and unrelated ones in two months', async () => {
    const pseudonyms = createPseudonyms({
      pepper,
      pool,
      cost: 'test',
      reporterPepper: createReporterPepperInMemory('month'),
    });
    const early = await pseudonyms.reporter('telegram', '424242', new Date('2026-11-02T03:00:00Z'));
    const late = await pseudonyms.reporter('telegram', '424242', new Date('2026-11-29T10:00:00Z'));
    const next = await pseudonyms.reporter('telegram', '424242', new Date('2026-12-01T10:00:00Z'));
    expect(late).toBe(early);
    expect(next).not.toBe(early);
    // Another resident in the same month: another pseudonym.
    expect(await pseudonyms.reporter('telegram', '424243', new Date('2026-11-02T03:00:00Z'))).not.toBe(early);
  });

  it('derives a root once per conversation and forgets it when idle or when more residents came since', async () => {
    let derivations = 0;
    const counting = {
      ...pool,
      derive: (...args: Parameters<typeof pool.derive>) => {
        derivations++;
        return pool.derive(...args);
      },
    };
    let clock = 0;
    const pseudonyms = createPseudonyms({
      pepper,
      pool: counting,
      cost: 'test',
      reporterPepper: createReporterPepperInMemory(),
      maxEntries: 2,
      idleMs: 60_000,
      now: () => clock,
    });
    const first = await pseudonyms.hard('telegram-status', '1001');
    await pseudonyms.reporter('telegram', '1001');
    expect(derivations).toBe(1);
    clock = 59_000;
    await pseudonyms.hard('telegram-status', '1001');
    expect(derivations).toBe(1);
    // An hour's quiet (here a minute): the root is gone from memory and derived again, equal.
    clock = 120_000;
    expect(await pseudonyms.hard('telegram-status', '1001')).toBe(first);
    expect(derivations).toBe(2);
    // Two more residents: the least recently used root goes first.
    await pseudonyms.hard('telegram-status', '1002');
    await pseudonyms.hard('telegram-status', '1003');
    await pseudonyms.hard('telegram-status', '1003');
    expect(derivations).toBe(4);
    await pseudonyms.hard('telegram-status', '1001');
    expect(derivations).toBe(5);
  });

  it('turns periods on Vietnam’s calendar (UTC+7), by month or ISO week', () => {
    expect(periodOf(new Date('2026-11-30T16:59:59Z'), 'month')).toBe('2026-11');
    expect(periodOf(new Date('2026-11-30T17:00:00Z'), 'month')).toBe('2026-12');
    expect(periodOf(new Date('2026-12-31T12:00:00Z'), 'week')).toBe('2026-W53');
    expect(periodOf(new Date('2027-01-04T00:00:00Z'), 'week')).toBe('2027-W01');
    expect(periodOf(new Date('2026-12-02T00:00:00Z'), 'week')).toBe('2026-W49');
  });

  it('keeps the period’s pepper in a 0600 file and replaces it, old key gone, when the period turns', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tinbao-pepper-'));
    try {
      const path = join(dir, 'secrets', 'reporter-pepper.json');
      const november = await createReporterPepperFile(path).current(new Date('2026-11-15T00:00:00Z'));
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      // A restart within the month reads the same pepper back.
      const again = await createReporterPepperFile(path).current(new Date('2026-11-20T00:00:00Z'));
      expect(Buffer.from(again.key).equals(Buffer.from(november.key))).toBe(true);
      const december = await createReporterPepperFile(path).current(new Date('2026-12-15T00:00:00Z'));
      expect(december.period).toBe('2026-12');
      expect(Buffer.from(december.key).equals(Buffer.from(november.key))).toBe(false);
      const stored = await readFile(path, 'utf8');
      expect(stored).not.toContain(Buffer.from(november.key).toString('base64'));
      expect(JSON.parse(stored)).toMatchObject({ period: '2026-12' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
