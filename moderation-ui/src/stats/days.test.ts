import { describe, expect, it } from 'vitest';
import { startOfLocalDay } from './days';

describe('days of the statistics period', () => {
  it('the day after a date starts 24 hours later in a time zone without DST', () => {
    const from = new Date(startOfLocalDay('2026-11-23')).getTime();
    expect(new Date(startOfLocalDay('2026-11-23', 1)).getTime() - from).toBe(86_400_000);
    expect(new Date(startOfLocalDay('2026-11-30', 1)).getDate()).toBe(1);
  });
});
