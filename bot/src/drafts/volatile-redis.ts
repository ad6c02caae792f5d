import type { Redis } from 'ioredis';

/** Why a Redis cannot hold drafts: it writes what it holds to disk. */
export class PersistentDraftRedis extends Error {}

/**
 * Drafts hold what a resident typed before «Gửi». Their Redis must keep nothing on disk: an
 * append-only file keeps every version ever written, long after the draft was sent or
 * cancelled, and the gateway's draft key opens them all. So the gateway asks the draft Redis
 * whether it persists (AOF or RDB snapshots) and refuses to start on one that does. Where
 * CONFIG is not allowed (some managed Redis), the operator confirms with
 * DRAFT_REDIS_VOLATILE=confirmed after checking it themselves.
 */
export async function assertVolatileRedis(redis: Redis, confirmed = false): Promise<void> {
  let settings: Map<string, string>;
  try {
    const reply = (await redis.call('CONFIG', 'GET', 'appendonly', 'save')) as string[];
    settings = new Map();
    for (let index = 0; index + 1 < reply.length; index += 2) settings.set(reply[index]!, reply[index + 1]!);
  } catch (error) {
    if (confirmed) return;
    throw new PersistentDraftRedis(
      `DRAFT_REDIS_URL: cannot ask this Redis whether it persists (${(error as Error).message}); check that it runs with --save "" --appendonly no, then set DRAFT_REDIS_VOLATILE=confirmed`,
    );
  }
  const appendonly = settings.get('appendonly') ?? '';
  const save = settings.get('save') ?? '';
  if (appendonly === 'no' && save.trim() === '') return;
  throw new PersistentDraftRedis(
    `DRAFT_REDIS_URL: this Redis persists to disk (appendonly ${appendonly || '?'}, save "${save}"), so drafts would stay readable in its files after they are sent or cancelled; give drafts a Redis started with --save "" --appendonly no (npm start runs one)`,
  );
}
