import { availableParallelism } from 'node:os';
import { Piscina, queueOptionsSymbol, type TaskQueue } from 'piscina';
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

/**
 * Which queue a task waits in when every thread is busy. 'first' tasks are taken before any
 * 'normal' one (a staff login from a known device before a flood of strangers' guesses); each
 * lane has its own bound, so neither can fill the other's.
 */
export type Argon2Lane = 'normal' | 'first';

export interface Argon2Pool {
  /** Raw argon2id bytes of `input` with `salt` (16 bytes). */
  derive(
    input: Uint8Array,
    salt: Uint8Array,
    limits: Argon2Limits,
    length?: number,
    lane?: Argon2Lane,
  ): Promise<Uint8Array>;
  /** A libsodium `$argon2id$…` password string. */
  hashPassword(password: string, limits: Argon2Limits, lane?: Argon2Lane): Promise<string>;
  /** Checks a password against its `$argon2id$…` string (the cost is read from the string). */
  verifyPassword(hash: string, password: string, lane?: Argon2Lane): Promise<boolean>;
  /** Tasks waiting for a thread, both lanes. */
  readonly queued: number;
  /** How full the 'normal' lane's queue is, 0 to 1 (0 when unbounded). */
  readonly pressure: number;
  close(): Promise<void>;
}

export interface Argon2PoolOptions {
  /** Worker threads (default: one per CPU). */
  threads?: number;
  /** Tasks that may wait in each lane before `Argon2PoolFull` (default: unbounded). */
  maxQueue?: number;
}

type Task = Parameters<TaskQueue['push']>[0];

const WORKER = new URL('./argon2-worker.mjs', import.meta.url).href;

/** Two FIFO lanes behind piscina's TaskQueue port: 'first' is always taken before 'normal'. */
class LaneQueue implements TaskQueue {
  readonly first: Task[] = [];
  readonly normal: Task[] = [];

  private laneOf(task: Task): Task[] {
    const options = task[queueOptionsSymbol] as { lane?: Argon2Lane } | null;
    return options?.lane === 'first' ? this.first : this.normal;
  }
  get size() {
    return this.first.length + this.normal.length;
  }
  shift(): Task | null {
    return this.first.shift() ?? this.normal.shift() ?? null;
  }
  push(task: Task): void {
    this.laneOf(task).push(task);
  }
  /** A task piscina took but could not place goes back to the head of its lane (stricterFIFO). */
  unshift(task: Task): void {
    this.laneOf(task).unshift(task);
  }
  remove(task: Task): void {
    for (const lane of [this.first, this.normal]) {
      const at = lane.indexOf(task);
      if (at !== -1) lane.splice(at, 1);
    }
  }
}

/**
 * A bounded pool of worker threads for argon2id. Each thread holds its own 64 MiB of WASM
 * memory once used; the threads stay (idle ones do not keep the process alive).
 */
export function createArgon2Pool(options: Argon2PoolOptions = {}): Argon2Pool {
  const threads = options.threads ?? availableParallelism();
  const queue = new LaneQueue();
  const pool = new Piscina({
    filename: WORKER,
    minThreads: 1,
    maxThreads: threads,
    taskQueue: queue,
    stricterFIFO: true,
    idleTimeout: 60_000,
    atomics: 'disabled',
  });
  const run = async <T>(task: object, lane: Argon2Lane = 'normal'): Promise<T> => {
    const waiting = lane === 'first' ? queue.first : queue.normal;
    // Counted before the task is handed over: a burst in one tick is bounded too.
    if (options.maxQueue !== undefined && waiting.length >= options.maxQueue) throw new Argon2PoolFull();
    return (await pool.run({ ...task, [queueOptionsSymbol]: { lane } })) as T;
  };
  return {
    derive: (input, salt, limits, length = 32, lane = 'normal') =>
      run<Uint8Array>({ op: 'derive', input, salt, length, ...limits }, lane),
    hashPassword: (password, limits, lane) => run<string>({ op: 'hash', password, ...limits }, lane),
    verifyPassword: (hash, password, lane) => run<boolean>({ op: 'verify', hash, password }, lane),
    get queued() {
      return queue.size;
    },
    get pressure() {
      return options.maxQueue ? Math.min(1, queue.normal.length / options.maxQueue) : 0;
    },
    close: () => pool.destroy(),
  };
}
