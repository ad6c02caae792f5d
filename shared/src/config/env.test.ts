import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig } from './env';
import { databaseUrlVariable, portVariable, redisUrlVariable, secretKeyVariable } from './variables';

const schema = z.object({
  PORT: portVariable(3000),
  REDIS_URL: redisUrlVariable,
  DATABASE_URL: databaseUrlVariable.optional(),
  TINBAO_MASTER_KEY: secretKeyVariable.optional(),
});

describe('parseConfig', () => {
  it('applies defaults and converts values', () => {
    const result = parseConfig(schema, {
      REDIS_URL: 'redis://127.0.0.1:6379',
      TINBAO_MASTER_KEY: 'ab'.repeat(32),
    });
    expect(result).toMatchObject({ ok: true, config: { PORT: 3000 } });
    if (result.ok) expect(result.config.TINBAO_MASTER_KEY).toHaveLength(32);
  });

  it('lists one line per bad or missing variable, each naming it', () => {
    const result = parseConfig(schema, {
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      TINBAO_MASTER_KEY: 'short',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(4);
    expect(result.problems.find((p) => p.startsWith('PORT:'))).toContain('port');
    expect(result.problems.find((p) => p.startsWith('REDIS_URL:'))).toContain('required');
    expect(result.problems.find((p) => p.startsWith('DATABASE_URL:'))).toContain('postgres://');
    expect(result.problems.find((p) => p.startsWith('TINBAO_MASTER_KEY:'))).toContain('32 bytes');
  });

  it('treats empty strings as unset', () => {
    const result = parseConfig(schema, { REDIS_URL: 'redis://localhost', DATABASE_URL: '' });
    expect(result).toMatchObject({ ok: true });
  });
});
