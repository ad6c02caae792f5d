import { describe, expect, it } from 'vitest';
import { vi } from '../i18n/vi';
import { defaultPeriod, periodProblem, periodQuery, startOfLocalDay } from './days';

describe('days of the statistics period', () => {
  it('the day after a date starts 24 hours later in a time zone without DST', () => {
    const from = new Date(startOfLocalDay('2026-11-23')).getTime();
    expect(new Date(startOfLocalDay('2026-11-23', 1)).getTime() - from).toBe(86_400_000);
    expect(new Date(startOfLocalDay('2026-11-30', 1)).getDate()).toBe(1);
  });

  it('starts with the last 365 days; the last day is included, so one day is from = to', () => {
    expect(defaultPeriod('', new Date(2026, 10, 23, 15))).toEqual({
      from: '2025-11-23',
      to: '2026-11-23',
      provinceCode: '',
    });
    expect(periodQuery({ from: '2026-11-23', to: '2026-11-23', provinceCode: '44' })).toEqual({
      from: startOfLocalDay('2026-11-23'),
      to: startOfLocalDay('2026-11-24'),
      provinceCode: '44',
    });
    expect(periodQuery({ from: '2026-11-23', to: '2026-11-23', provinceCode: '' })).not.toHaveProperty(
      'provinceCode',
    );
  });

  it('needs both days, the last not before the first', () => {
    expect(periodProblem(vi, { from: '', to: '2026-11-23' })).toBe(vi.validation.required(vi.stats.from));
    expect(periodProblem(vi, { from: '2026-11-23', to: '' })).toBe(vi.validation.required(vi.stats.to));
    expect(periodProblem(vi, { from: '2026-11-24', to: '2026-11-23' })).toBe(vi.validation.dateRange);
    expect(periodProblem(vi, { from: '2026-11-23', to: '2026-11-23' })).toBeUndefined();
  });
});
