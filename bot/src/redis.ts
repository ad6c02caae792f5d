import { Redis } from 'ioredis';

/**
 * The bot's one Redis connection. It fails fast while Redis is down (no offline queue,
 * short timeouts): a resident pressing "Gửi" is told at once to try again, never left waiting.
 */
export function createBotRedis(url: string): Redis {
  const redis = new Redis(url, {
    connectionName: 'tinbao-bot',
    // Commands of many chats issued in one tick leave in one write: under load most of the
    // gateway's CPU was one socket write per Redis command.
    enableAutoPipelining: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    commandTimeout: 3000,
    retryStrategy: (times) => Math.min(200 * times, 2000),
  });
  // Failures surface through commands; an unhandled 'error' event would crash the process.
  redis.on('error', () => {});
  return redis;
}

/** Resolves once the connection is ready; the bot answers no one before it can keep drafts. */
export async function waitForRedis(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return true;
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    redis.once('ready', onReady);
  });
}
