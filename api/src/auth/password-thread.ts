import { Worker } from 'node:worker_threads';

type Request =
  | { op: 'hash'; password: string; opslimit: number; memlimit: number }
  | { op: 'verify'; hash: string; password: string };

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

const WORKER_FILE = new URL('./password-worker.mjs', import.meta.url);

/** The thread itself failed (could not start, crashed): the caller may run the work in-process. */
export class PasswordThreadUnavailable extends Error {}

/**
 * One worker thread for argon2id, started on first use. It is unref'd while idle, so it never
 * keeps a process (the CLI, a test) alive, and ref'd while a request is pending.
 */
class PasswordThread {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  private start(): Promise<void> {
    const worker = new Worker(WORKER_FILE);
    this.worker = worker;
    worker.unref();
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: { ready?: true; id?: number; result?: unknown; error?: string }) => {
        if (message.ready) return resolve();
        const request = this.pending.get(message.id ?? -1);
        if (!request) return;
        this.pending.delete(message.id as number);
        if (this.pending.size === 0) worker.unref();
        if (message.error !== undefined) request.reject(new Error(message.error));
        else request.resolve(message.result);
      });
      const fail = (cause: Error) => {
        const error = new PasswordThreadUnavailable(cause.message);
        reject(error);
        // A dead worker fails what it held; the next call starts a new one.
        for (const request of this.pending.values()) request.reject(error);
        this.pending.clear();
        if (this.worker === worker) this.worker = undefined;
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`password worker exited (${code})`)));
    });
    return this.ready;
  }

  async run<T>(request: Request): Promise<T> {
    if (!this.worker || !this.ready) await this.start();
    else await this.ready;
    const worker = this.worker as Worker;
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.ref();
      worker.postMessage({ id, ...request });
    });
  }
}

const thread = new PasswordThread();

export const hashInThread = (password: string, opslimit: number, memlimit: number) =>
  thread.run<string>({ op: 'hash', password, opslimit, memlimit });

export const verifyInThread = (hash: string, password: string) =>
  thread.run<boolean>({ op: 'verify', hash, password });
