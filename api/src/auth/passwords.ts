import {
  type Argon2Lane,
  type Argon2Pool,
  Argon2PoolFull,
  argon2Limits,
  createArgon2Pool,
  toNfc,
} from '@tinbao/shared';

/**
 * 'interactive': OPSLIMIT/MEMLIMIT_INTERACTIVE, the production cost (~120-250 ms here).
 * 'test': the libsodium minimum, only for test fixtures (hashes carry their own cost, so a
 * test user's hash verifies fast while real users keep the production cost).
 */
export type PasswordCost = 'interactive' | 'test';

export { Argon2PoolFull as PasswordQueueFull };

/**
 * argon2id of staff passwords on a bounded pool of worker threads (shared/src/crypto/argon2-pool.ts),
 * so a login never stalls the event loop and a flood of guesses waits in a queue of known
 * length instead of piling up: past it, `verify` throws PasswordQueueFull (the route answers 429).
 */
export interface PasswordHasher {
  hash(password: string, cost?: PasswordCost): Promise<string>;
  /** False for a wrong password or a malformed stored hash. `lane: 'first'`: a known device's login. */
  verify(hash: string, password: string, lane?: Argon2Lane): Promise<boolean>;
  /**
   * Spends the same time as a real check for a user who does not exist, so the answer's
   * timing does not reveal whether a username is taken.
   */
  verifyDummy(password: string, cost?: PasswordCost, lane?: Argon2Lane): Promise<void>;
  /** Computes the dummy hash ahead (at start-up), so the first unknown user is not slower. */
  prepareDummy(cost?: PasswordCost): Promise<void>;
  /** How full the strangers' queue is (0-1): the login asks for a proof of work past one half. */
  readonly pressure: number;
}

/** Passwords are NFC-normalised: the same Vietnamese text typed on two keyboards matches. */
const normalise = (password: string) => toNfc(password);

/** A hasher over `pool` (whoever made the pool closes it). */
export function createPasswordHasher(pool: Argon2Pool): PasswordHasher {
  const dummyHashes = new Map<PasswordCost, Promise<string>>();
  const dummyOf = (cost: PasswordCost) => {
    let dummy = dummyHashes.get(cost);
    if (!dummy) {
      dummy = hasher.hash('tinbao dummy password, never matches', cost);
      dummyHashes.set(cost, dummy);
      dummy.catch(() => dummyHashes.delete(cost));
    }
    return dummy;
  };
  const hasher: PasswordHasher = {
    hash: async (password, cost = 'interactive') =>
      pool.hashPassword(normalise(password), await argon2Limits(cost)),
    verify: async (hash, password, lane) => {
      try {
        return await pool.verifyPassword(hash, normalise(password), lane);
      } catch (error) {
        if (error instanceof Argon2PoolFull) throw error;
        // A malformed stored hash must read as "wrong password", never as a crash.
        return false;
      }
    },
    verifyDummy: async (password, cost = 'interactive', lane) => {
      await hasher.verify(await dummyOf(cost), password, lane);
    },
    prepareDummy: async (cost = 'interactive') => {
      await dummyOf(cost);
    },
    get pressure() {
      return pool.pressure;
    },
  };
  return hasher;
}

let processPool: Argon2Pool | undefined;
let processHasher: PasswordHasher | undefined;

/**
 * The pool of code that is given none: the CLI, test fixtures, the bench. One thread and no
 * queue bound (nothing there is reachable by a flood); the api process injects its own
 * (`ApiDeps.argon2`), bounded by PASSWORD_HASH_THREADS and PASSWORD_HASH_QUEUE.
 */
export function defaultArgon2Pool(): Argon2Pool {
  processPool ??= createArgon2Pool({ threads: 1 });
  return processPool;
}

export function defaultPasswordHasher(): PasswordHasher {
  processHasher ??= createPasswordHasher(defaultArgon2Pool());
  return processHasher;
}

export const hashPassword = (password: string, cost: PasswordCost = 'interactive') =>
  defaultPasswordHasher().hash(password, cost);

export const verifyPassword = (hash: string, password: string) =>
  defaultPasswordHasher().verify(hash, password);

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem } from '@tinbao/shared/api/auth';
