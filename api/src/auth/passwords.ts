import { getSodium, toNfc } from '@tinbao/shared';
import { hashInThread, PasswordThreadUnavailable, verifyInThread } from './password-thread';

/**
 * 'interactive': OPSLIMIT/MEMLIMIT_INTERACTIVE, the production cost (~70-100 ms).
 * 'test': the libsodium minimum, only for test fixtures (hashes carry their own cost, so a
 * test user's hash verifies fast while real users keep the production cost).
 */
export type PasswordCost = 'interactive' | 'test';

/** Passwords are NFC-normalised: the same Vietnamese text typed on two keyboards matches. */
const normalise = (password: string) => toNfc(password);

/**
 * argon2id runs on a worker thread (password-thread.ts) so a login does not stall the event
 * loop; if the thread cannot run, the same libsodium call runs here.
 */
export async function hashPassword(password: string, cost: PasswordCost = 'interactive'): Promise<string> {
  const sodium = await getSodium();
  const [ops, mem] =
    cost === 'test'
      ? [sodium.crypto_pwhash_OPSLIMIT_MIN, sodium.crypto_pwhash_MEMLIMIT_MIN]
      : [sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE, sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE];
  try {
    return await hashInThread(normalise(password), ops, mem);
  } catch (error) {
    if (!(error instanceof PasswordThreadUnavailable)) throw error;
    return sodium.crypto_pwhash_str(normalise(password), ops, mem);
  }
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await verifyInThread(hash, normalise(password));
  } catch (error) {
    if (!(error instanceof PasswordThreadUnavailable)) {
      // A malformed stored hash must read as "wrong password", never as a crash.
      return false;
    }
    const sodium = await getSodium();
    try {
      return sodium.crypto_pwhash_str_verify(hash, normalise(password));
    } catch {
      return false;
    }
  }
}

const dummyHashes = new Map<PasswordCost, Promise<string>>();

/**
 * Spends the same time as a real check for a user who does not exist, so the answer's
 * timing does not reveal whether a username is taken.
 */
export async function verifyDummyPassword(
  password: string,
  cost: PasswordCost = 'interactive',
): Promise<void> {
  await verifyPassword(await dummyHashOf(cost), password);
}

/** Computes the dummy hash ahead (at start-up), so the first unknown user is not slower. */
export function dummyHashOf(cost: PasswordCost = 'interactive'): Promise<string> {
  let hash = dummyHashes.get(cost);
  if (!hash) {
    hash = hashPassword('tinbao dummy password, never matches', cost);
    dummyHashes.set(cost, hash);
  }
  return hash;
}

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem } from '@tinbao/shared/api/auth';
