import { type Argon2Cost, type Argon2Pool, argon2Limits, getSodium } from '@tinbao/shared';
import type { ReporterPepper } from './reporter-pepper';

/**
 * Keyed names of platform ids: draft names, rate-limit keys, the group guard, and the sealed
 * "same reporter" pseudonym. Whoever holds the gateway's pepper could once invert them by
 * trying every id (Telegram user ids span about 2³³: seconds at a fast hash). Now each id
 * first goes through argon2id (64 MiB, 65–100 ms a guess, on a worker thread), once per
 * conversation: the root is cached in memory only, never stored. Every name is then a fast
 * keyed hash of that root and its scope, so one conversation pays for argon2id once.
 */
export interface Pseudonyms {
  /** The name of a platform id for one use (`telegram-chat`, `zalo-rate`…). */
  of(scope: string, platformId: string): Promise<string>;
  /**
   * The pseudonym sealed in the tip: equal for one resident's tips within one period (a month
   * by default), unrelated across periods, because the period's pepper is random and replaced.
   */
  reporter(scope: string, userId: string, at?: Date): Promise<string>;
}

export interface PseudonymDeps {
  pepper: Uint8Array;
  pool: Argon2Pool;
  cost: Argon2Cost;
  reporterPepper: ReporterPepper;
  /** Roots kept in memory (default 20,000 conversations); the oldest goes first. */
  maxEntries?: number;
}

const SALT_CONTEXT = 'tinbao pseudonym salt v1';

export function createPseudonyms(deps: PseudonymDeps): Pseudonyms {
  const maxEntries = deps.maxEntries ?? 20_000;
  const roots = new Map<string, Promise<Uint8Array>>();
  const limits = argon2Limits(deps.cost);
  const salt = getSodium().then((sodium) => sodium.crypto_generichash(16, SALT_CONTEXT, deps.pepper));

  async function computeRoot(platformId: string): Promise<Uint8Array> {
    const sodium = await getSodium();
    // The pepper keys the input, so argon2id's work is useless without it.
    const input = sodium.crypto_generichash(32, platformId, deps.pepper);
    return deps.pool.derive(input, await salt, await limits);
  }

  function rootOf(platformId: string): Promise<Uint8Array> {
    const cached = roots.get(platformId);
    if (cached) {
      // Most recently used last: Map keeps insertion order, so the first key is the oldest.
      roots.delete(platformId);
      roots.set(platformId, cached);
      return cached;
    }
    const computed = computeRoot(platformId);
    roots.set(platformId, computed);
    computed.catch(() => roots.delete(platformId));
    if (roots.size > maxEntries) {
      const oldest = roots.keys().next().value;
      if (oldest !== undefined) roots.delete(oldest);
    }
    return computed;
  }

  return {
    async of(scope, platformId) {
      const [sodium, root] = await Promise.all([getSodium(), rootOf(platformId)]);
      return Buffer.from(sodium.crypto_generichash(16, scope, root)).toString('base64url');
    },
    async reporter(scope, userId, at = new Date()) {
      const [sodium, root, period] = await Promise.all([
        getSodium(),
        rootOf(userId),
        deps.reporterPepper.current(at),
      ]);
      const message = Buffer.concat([Buffer.from(root), Buffer.from(`:reporter:${scope}`)]);
      return Buffer.from(sodium.crypto_generichash(16, message, period.key)).toString('base64url');
    },
  };
}
