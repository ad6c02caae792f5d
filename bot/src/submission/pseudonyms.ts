import { pseudonymOf } from '@tinbao/shared';

/**
 * Keyed hashes of platform ids (draft names, rate-limit keys, the sealed "same reporter"
 * pseudonym), each scope its own so no two stored names are equal. Cached in memory only,
 * bounded, so a conversation pays for its hashes once rather than on every update.
 */
export interface Pseudonyms {
  of(scope: string, platformId: string): Promise<string>;
}

export function createPseudonyms(pepper: Uint8Array, options: { maxEntries?: number } = {}): Pseudonyms {
  const maxEntries = options.maxEntries ?? 20_000;
  const cache = new Map<string, Promise<string>>();
  return {
    of(scope, platformId) {
      const key = `${scope}\u0000${platformId}`;
      const cached = cache.get(key);
      if (cached) {
        // Most recently used last: Map keeps insertion order, so the first key is the oldest.
        cache.delete(key);
        cache.set(key, cached);
        return cached;
      }
      const computed = pseudonymOf(pepper, scope, platformId);
      cache.set(key, computed);
      computed.catch(() => cache.delete(key));
      if (cache.size > maxEntries) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return computed;
    },
  };
}
