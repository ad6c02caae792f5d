import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { getSodium } from './sodium';

/**
 * 'interactive': libsodium's OPSLIMIT/MEMLIMIT_INTERACTIVE (2 passes over 64 MiB), about 250 ms
 * on this 2-core machine: passwords. 'pseudonym': 2 passes over 16 MiB, about 58 ms here, just
 * over the 50 ms a guess the pseudonyms must cost, and a quarter of the CPU at every «Gửi».
 * 'test': the libsodium minimum, for test fixtures only.
 */
export type Argon2Cost = 'interactive' | 'pseudonym' | 'test';

export interface Argon2Limits {
  opslimit: number;
  memlimit: number;
}

export async function argon2Limits(cost: Argon2Cost): Promise<Argon2Limits> {
  const sodium = await getSodium();
  switch (cost) {
    case 'test':
      return { opslimit: sodium.crypto_pwhash_OPSLIMIT_MIN, memlimit: sodium.crypto_pwhash_MEMLIMIT_MIN };
    case 'pseudonym':
      return { opslimit: 2, memlimit: 16 * 1024 * 1024 };
    default:
      return {
        opslimit: sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE,
        memlimit: sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE,
      };
  }
}

/** The pool's queue is full: the caller answers "busy" (HTTP 429) rather than wait without bound. */
export class Argon2PoolFull extends Error {
  constructor() {
    super('argon2 pool queue is full');
  }
}

export interface Argon2Pool {
  /** Raw argon2id bytes of `input` with `salt` (16 bytes). */
  derive(input: Uint8Array, salt: Uint8Array, limits: Argon2Limits, length?: number): Promise<Uint8Array>;
  /** Tasks waiting for a thread. */
  readonly queued: number;
  close(): Promise<void>;
}

export interface Argon2PoolOptions {
  /** Worker threads (default: one per CPU). */
  threads?: number;
  /** Tasks that may wait for a thread before `Argon2PoolFull` (default: unbounded). */
  maxQueue?: number;
}

const WORKER = new URL('./argon2-worker.mjs', import.meta.url).href;

/**
 * A bounded pool of worker threads for argon2id. Each thread holds its own 64 MiB of WASM
 * memory once used; the threads stay (idle ones do not keep the process alive).
 */
export function createArgon2Pool(options: Argon2PoolOptions = {}): Argon2Pool {
  const threads = options.threads ?? availableParallelism();
  const pool = new Piscina({
    filename: WORKER,
    minThreads: 1,
    maxThreads: threads,
    maxQueue: options.maxQueue ?? Number.POSITIVE_INFINITY,
    idleTimeout: 60_000,
    atomics: 'disabled',
  });
  const run = async <T>(task: object): Promise<T> => {
    if (options.maxQueue !== undefined && pool.queueSize >= options.maxQueue) throw new Argon2PoolFull();
    return (await pool.run(task)) as T;
  };
  return {
    derive: (input, salt, limits, length = 32) =>
      run<Uint8Array>({ op: 'derive', input, salt, length, ...limits }),
    get queued() {
      return pool.queueSize;
    },
    close: () => pool.destroy(),
  };
}
