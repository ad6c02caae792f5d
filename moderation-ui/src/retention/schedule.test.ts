import { describe, expect, it } from 'vitest';
import { holdReasonProblem, isDue, purgeTimeLabel } from './schedule';

describe('retention page helpers', () => {
  it('says the purge time as hh:mm', () => {
    expect(purgeTimeLabel()).toBe('02:30');
    expect(purgeTimeLabel({ hour: 23, minute: 5 })).toBe('23:05');
  });

  it('a purge date at or before now is due', () => {
    expect(isDue('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')).toBe(true);
    expect(isDue('2026-01-02T00:00:00.000Z', '2026-01-01T00:00:00.000Z')).toBe(false);
  });

  it('checks the grounds of a hold as the API does', () => {
    expect(holdReasonProblem('   ')).toBe('required');
    expect(holdReasonProblem('x'.repeat(501))).toBe('tooLong');
    expect(holdReasonProblem(' Vụ án số 12/2025 ')).toBeNull();
  });
});
