import { parseConfig } from '@tinbao/shared';
import { describe, expect, it } from 'vitest';
import { ApiConfigSchema } from '../config';
import { retentionPolicyOf } from './config';

const base = { REDIS_URL: 'redis://127.0.0.1:6379', TINBAO_MASTER_KEY: 'ab'.repeat(32) };

describe('retention configuration of the api', () => {
  it('defaults to 365 days after closing and 90 after rejection or merging', () => {
    const parsed = parseConfig(ApiConfigSchema, base);
    expect(parsed.ok && retentionPolicyOf(parsed.config)).toEqual({ closedDays: 365, rejectedDays: 90 });
    const set = parseConfig(ApiConfigSchema, {
      ...base,
      TINBAO_RETENTION_CLOSED_DAYS: '730',
      TINBAO_RETENTION_REJECTED_DAYS: '30',
    });
    expect(set.ok && retentionPolicyOf(set.config)).toEqual({ closedDays: 730, rejectedDays: 30 });
  });

  it('names each bad variable in one line', () => {
    const parsed = parseConfig(ApiConfigSchema, {
      ...base,
      TINBAO_RETENTION_CLOSED_DAYS: '1.5',
      TINBAO_RETENTION_REJECTED_DAYS: '-3',
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toEqual([
      'TINBAO_RETENTION_CLOSED_DAYS: must be a whole number of days',
      'TINBAO_RETENTION_REJECTED_DAYS: must be at least 1 day',
    ]);
  });
});
