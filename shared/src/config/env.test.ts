import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig } from './env';
import {
  databaseUrlVariable,
  hostVariable,
  portVariable,
  redisUrlVariable,
  secretKeyVariable,
  trustProxyVariable,
} from './variables';

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

describe('HOST and TRUST_PROXY', () => {
  const proxies = z.object({ HOST: hostVariable, TRUST_PROXY: trustProxyVariable.default(false) });

  it('listen on loopback and trust no proxy unless told', () => {
    expect(parseConfig(proxies, {})).toEqual({ ok: true, config: { HOST: '127.0.0.1', TRUST_PROXY: false } });
  });

  it('take named ranges, addresses, CIDRs and hop counts', () => {
    const parse = (value: string) => parseConfig(proxies, { TRUST_PROXY: value });
    expect(parse('loopback')).toMatchObject({ config: { TRUST_PROXY: 'loopback' } });
    expect(parse('10.0.0.0/8, 192.168.1.5,::1')).toMatchObject({
      config: { TRUST_PROXY: '10.0.0.0/8,192.168.1.5,::1' },
    });
    expect(parse('2')).toMatchObject({ config: { TRUST_PROXY: 2 } });
    expect(parse('false')).toMatchObject({ config: { TRUST_PROXY: false } });
  });

  it('refuse true (any client could name its own address) and what is not an address', () => {
    const problems = (value: string) => {
      const result = parseConfig(proxies, { TRUST_PROXY: value });
      return result.ok ? [] : result.problems;
    };
    expect(problems('true')[0]).toMatch(/^TRUST_PROXY: true would trust any X-Forwarded-For/);
    expect(problems('loopback,proxy.example')[0]).toContain('not proxy.example');
    expect(problems('10.0.0.0/33')[0]).toContain('not 10.0.0.0/33');
  });
});
