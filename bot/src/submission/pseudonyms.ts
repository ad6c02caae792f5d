import { type Argon2Cost, type Argon2Pool, argon2Limits, getSodium } from '@tinbao/shared';
import type { ReporterPepper } from './reporter-pepper';

/**
 * Keyed names of platform ids. Whoever holds the gateway's pepper can invert a fast keyed hash
 * by trying every id (Telegram user ids span about 2³³: hours on one core). Two kinds:
 *
 * - `of`: names that live only in the memory-only drafts Redis (draft names, rate-limit
 *   counters, the group guard) and vanish with it. No copy at rest holds them, so a fast keyed
 *   hash does; a memory-hard one would cost every new conversation ≥ 50 ms of CPU, and measured
 *   here that left 1,000 residents arriving within a minute without a first answer.
 * - `hard` and `reporter`: names that leave the gateway (the sealed reporter pseudonym, the
 *   status look-up id the API counts by). Each id first goes through argon2id (2 passes over 16 MiB,
 *   about 58 ms a guess here, on a worker thread), once per conversation, the root cached in memory only; every
 *   name is then a fast keyed hash of that root and its scope.
 */
export interface Pseudonyms {
  /** A name of a platform id kept only in the memory-only Redis (`telegram-chat`, `zalo-rate`…). */
  of(scope: string, platformId: string): Promise<string>;
  /** A name of a platform id that may reach a disk: argon2id-rooted. */
  hard(scope: string, platformId: string): Promise<string>;
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
  /**
   * A root unused this long is forgotten (default an hour): a conversation needs it for its
   * few minutes, and a gateway's memory then holds only the ids of the residents writing now.
   */
  idleMs?: number;
  now?: () => number;
}

const SALT_CONTEXT = 'tinbao pseudonym salt v1';

export function createPseudonyms(deps: PseudonymDeps): Pseudonyms {
  const maxEntries = deps.maxEntries ?? 20_000;
  const idleMs = deps.idleMs ?? 3_600_000;
  const now = deps.now ?? Date.now;
  const roots = new Map<string, { root: Promise<Uint8Array>; usedAt: number }>();
  const limits = argon2Limits(deps.cost);
  const salt = getSodium().then((sodium) => sodium.crypto_generichash(16, SALT_CONTEXT, deps.pepper));

  async function computeRoot(platformId: string): Promise<Uint8Array> {
    const sodium = await getSodium();
    // The pepper keys the input, so argon2id's work is useless without it.
    const input = sodium.crypto_generichash(32, platformId, deps.pepper);
    return deps.pool.derive(input, await salt, await limits);
  }

  function rootOf(platformId: string): Promise<Uint8Array> {
    const at = now();
    // Map keeps insertion order and a used root is moved to the end: the oldest come first.
    for (const [id, entry] of roots) {
      if (roots.size <= maxEntries && entry.usedAt > at - idleMs) break;
      roots.delete(id);
    }
    const cached = roots.get(platformId);
    if (cached) {
      roots.delete(platformId);
      roots.set(platformId, { root: cached.root, usedAt: at });
      return cached.root;
    }
    const computed = computeRoot(platformId);
    roots.set(platformId, { root: computed, usedAt: at });
    computed.catch(() => {
      if (roots.get(platformId)?.root === computed) roots.delete(platformId);
    });
    return computed;
  }

  return {
    async of(scope, platformId) {
      const sodium = await getSodium();
      return Buffer.from(sodium.crypto_generichash(16, `${scope}:${platformId}`, deps.pepper)).toString(
        'base64url',
      );
    },
    async hard(scope, platformId) {
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
