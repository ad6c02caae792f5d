import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A Redis key prefix of one's own, so test files run in parallel and twice in a row. */
export const createTestRedisPrefix = (label = 'test') => `${label}-${randomUUID()}`;

async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

/** Removes every key under the prefix. */
export async function deleteRedisPrefix(redis: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(redis, prefix);
  for (let start = 0; start < keys.length; start += 500) await redis.del(...keys.slice(start, start + 500));
}

/**
 * Every value stored under the prefix, whatever its type, as raw bytes: what a test scans
 * to prove no plaintext (a marker string, a chat id) was written to Redis.
 */
export async function dumpRedisPrefix(
  redis: Redis,
  prefix: string,
): Promise<{ key: string; bytes: Buffer }[]> {
  const out: { key: string; bytes: Buffer }[] = [];
  for (const key of await keysUnder(redis, prefix)) {
    const type = await redis.type(key);
    const parts: Buffer[] = [Buffer.from(key)];
    if (type === 'string') parts.push((await redis.getBuffer(key)) ?? Buffer.alloc(0));
    else if (type === 'hash') {
      for (const [field, value] of Object.entries(await redis.hgetallBuffer(key)))
        parts.push(Buffer.from(field), value);
    } else if (type === 'list') parts.push(...(await redis.lrangeBuffer(key, 0, -1)));
    else if (type === 'set') parts.push(...(await redis.smembersBuffer(key)));
    else if (type === 'zset') parts.push(...(await redis.zrangeBuffer(key, 0, -1)));
    else if (type === 'stream') {
      const entries = await redis.xrangeBuffer(key, '-', '+');
      for (const [id, fields] of entries) parts.push(Buffer.from(id), ...fields);
    }
    out.push({ key, bytes: Buffer.concat(parts) });
  }
  return out;
}

/** The keys whose stored bytes contain `needle` (UTF-8). */
export async function findInRedis(redis: Redis, prefix: string, needle: string): Promise<string[]> {
  const wanted = Buffer.from(needle, 'utf8');
  return (await dumpRedisPrefix(redis, prefix))
    .filter((entry) => entry.bytes.includes(wanted))
    .map((e) => e.key);
}
