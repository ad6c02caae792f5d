import { getSodium } from './sodium';

/**
 * A keyed hash (BLAKE2b with a secret pepper) of a platform user id. Without the pepper
 * it cannot be linked back to the id; with it, the same person gets the same pseudonym,
 * which is all rate limits and "same reporter" links need.
 */
export async function pseudonymOf(
  pepper: Uint8Array,
  scope: string,
  platformId: string | number,
): Promise<string> {
  const sodium = await getSodium();
  const digest = sodium.crypto_generichash(16, `${scope}:${platformId}`, pepper);
  return Buffer.from(digest).toString('base64url');
}
