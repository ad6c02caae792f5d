import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { freePort } from '@tinbao/shared/testing/listening';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningProcess {
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when a printed line matches, rejects if the process exits first or time runs out. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts a TypeScript entry point of the repository (e.g. api/src/main.ts) as its own process.
 * `niceness` (1-19) runs it at a lower CPU priority, e.g. a load generator that must not take
 * the cores of the server it loads.
 */
export function startTsProcess(
  entry: string,
  env: Record<string, string | undefined>,
  args: string[] = [],
  options: { niceness?: number } = {},
): RunningProcess {
  // `node --import tsx` rather than the tsx binary: one process, so a SIGKILL hits the program
  // itself (`nice` execs it in place, same pid).
  return startNodeProcess(entry, ['--import', 'tsx', `${REPO_ROOT}${entry}`, ...args], env, options);
}

/** Starts a compiled JavaScript file (e.g. dist/api.js) with plain `node`, no TypeScript loader. */
export function startJsProcess(
  file: string,
  env: Record<string, string | undefined>,
  args: string[] = [],
  options: { niceness?: number } = {},
): RunningProcess {
  return startNodeProcess(file, [file, ...args], env, options);
}

function startNodeProcess(
  entry: string,
  nodeArgs: string[],
  env: Record<string, string | undefined>,
  options: { niceness?: number },
): RunningProcess {
  const node = [process.execPath, ...nodeArgs];
  const [command, ...commandArgs] = options.niceness
    ? ['nice', '-n', String(options.niceness), ...node]
    : node;
  const child = spawn(command as string, commandArgs, {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  let ended = false;
  void exited.then(() => {
    ended = true;
    for (const listener of listeners) listener();
  });

  return {
    child,
    output: () => output,
    exited,
    waitForOutput: (pattern, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (match) {
            done();
            resolve(match[0]);
          } else if (ended) {
            done();
            reject(new Error(`${entry} exited before printing ${pattern}; output:\n${output.slice(-3000)}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(
            new Error(
              `${entry} did not print ${pattern} within ${timeoutMs} ms; output:\n${output.slice(-3000)}`,
            ),
          );
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      }),
    kill: async (signal = 'SIGTERM') => {
      if (!ended) child.kill(signal);
      return exited;
    },
  };
}

/** A TCP port that was free a moment ago (one helper for every test). */
export { freePort };

/**
 * A redis-server of the test's own (no persistence) on a free port: tests that stop Redis
 * must not stop the machine's shared one.
 */
export async function startPrivateRedis(
  port?: number,
): Promise<{ url: string; port: number; stop(): Promise<void> }> {
  const chosen = port ?? (await freePort());
  const child = spawn(
    'redis-server',
    ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    };
    child.stdout?.on('data', onData);
    child.once('exit', () => reject(new Error(`redis-server exited: ${output}`)));
  });
  const exited = once(child, 'exit');
  return {
    url: `redis://127.0.0.1:${chosen}`,
    port: chosen,
    stop: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
