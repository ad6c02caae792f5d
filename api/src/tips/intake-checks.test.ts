import { generateKeyPair, type KeyPair, sealTip, splitSubmission, type TipSubmission } from '@tinbao/shared';
import { buildTipSubmission } from '@tinbao/shared/testing/tips';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkIntakeRecord, DEFAULT_INTAKE_MAX_AGE_MS, INTAKE_CLOCK_SKEW_MS } from './intake-checks';

const NOW = new Date('2026-03-01T08:00:00.000Z');
const window = { now: NOW, maxAgeMs: DEFAULT_INTAKE_MAX_AGE_MS, clockSkewMs: INTAKE_CLOCK_SKEW_MS };

describe('checkIntakeRecord', () => {
  let org: KeyPair;
  beforeAll(async () => {
    org = await generateKeyPair();
  });

  const recordAt = async (offsetMs: number, overrides: Partial<TipSubmission> = {}) => {
    const { clear, content } = splitSubmission(
      buildTipSubmission({ submittedAt: new Date(NOW.getTime() + offsetMs).toISOString(), ...overrides }),
    );
    return { clear, envelope: await sealTip(content, clear, [org.publicKey]) };
  };

  it('takes a submission from 5 minutes ahead to a day back, and nothing outside', async () => {
    for (const offset of [INTAKE_CLOCK_SKEW_MS, 0, -DEFAULT_INTAKE_MAX_AGE_MS]) {
      expect((await checkIntakeRecord(await recordAt(offset), org, window)).ok, `offset ${offset}`).toBe(
        true,
      );
    }
    expect(await checkIntakeRecord(await recordAt(INTAKE_CLOCK_SKEW_MS + 1), org, window)).toEqual({
      ok: false,
      reason: 'submitted_in_future',
    });
    expect(await checkIntakeRecord(await recordAt(-DEFAULT_INTAKE_MAX_AGE_MS - 1), org, window)).toEqual({
      ok: false,
      reason: 'submitted_too_long_ago',
    });
    // A longer window (INTAKE_MAX_AGE_HOURS) takes an older backlog.
    const twoDays = await recordAt(-2 * DEFAULT_INTAKE_MAX_AGE_MS);
    expect(
      (await checkIntakeRecord(twoDays, org, { ...window, maxAgeMs: 3 * DEFAULT_INTAKE_MAX_AGE_MS })).ok,
    ).toBe(true);
  });

  it('names every clear field that disagrees with its sealed twin, and only those', async () => {
    const record = await recordAt(0, { communeCode: '19564', observed: 'hom_nay', provinceCode: '44' });
    const check = await checkIntakeRecord(
      { ...record, clear: { ...record.clear, provinceCode: '01', observed: 'hom_qua' } },
      org,
      window,
    );
    expect(check).toEqual({ ok: false, reason: 'clear_mismatch', fields: ['provinceCode', 'observed'] });
    // No commune in the clear where one is sealed: a mismatch too.
    const hidden = await checkIntakeRecord(
      { ...record, clear: { ...record.clear, communeCode: null } },
      org,
      window,
    );
    expect(hidden).toEqual({ ok: false, reason: 'clear_mismatch', fields: ['communeCode'] });
  });

  it('returns the opened content of an honest record', async () => {
    const record = await recordAt(-1000, { description: 'Có người bán ma túy ở quán karaoke.' });
    const check = await checkIntakeRecord(record, org, window);
    expect(check.ok && check.content.description).toBe('Có người bán ma túy ở quán karaoke.');
  });
});
