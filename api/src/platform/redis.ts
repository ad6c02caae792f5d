import { Redis, type RedisOptions } from 'ioredis';

/**
 * `queue`: for BullMQ, waits for Redis to come back (BullMQ requires maxRetriesPerRequest
 * null). `fast-fail`: answers at once while Redis is down, for health checks and for
 * requests a person is waiting on.
 */
export type RedisPurpose = 'queue' | 'fast-fail';

export function createRedis(url: string, purpose: RedisPurpose, name: string): Redis {
  const options: RedisOptions = {
    connectionName: `tinbao-${name}`,
    // Reconnect quickly but without hammering a Redis that is down.
    retryStrategy: (times) => Math.min(200 * times, 2000),
    ...(purpose === 'queue'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 2000 }),
  };
  const redis = new Redis(url, options);
  // Connection errors surface through commands and /healthz; an unhandled 'error' event would crash.
  redis.on('error', () => {});
  return redis;
}

/** Resolves when the promise does, rejects after `ms` otherwise. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
