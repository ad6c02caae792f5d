/**
 * The redis-servers `npm start` runs: on 127.0.0.1 only, with a password each, generated once
 * into the keys folder (never the data folder: a copy of ./data must open nothing, and the
 * password would let anyone on the machine read and write the queue). The configuration,
 * password included, goes to redis-server on its standard input, so it shows in no command line
 * (`ps`) and in no file but the 0600 one in the keys folder.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { ensureSecretFile } from '@tinbao/shared';

/** Which redis-server: the queue's (AOF, read by api and bot) or the drafts' (memory only, bot only). */
export type RedisServerName = 'queue' | 'drafts';

export const redisPasswordFile = (keysDir: string, name: RedisServerName) => `${keysDir}/redis-${name}.key`;

/**
 * The password of one of our redis-servers: 32 random bytes, as hex (safe in a URL unescaped),
 * created on first start in the keys folder (0600) and the same on every later start.
 */
export async function ensureRedisPassword(keysDir: string, name: RedisServerName): Promise<string> {
  const secret = await ensureSecretFile(redisPasswordFile(keysDir, name), `${name} Redis password`);
  return Buffer.from(secret).toString('hex');
}

/** The URL the processes get: the password inside it, the address loopback only. */
export const localRedisUrl = (port: number, password: string) =>
  `redis://:${encodeURIComponent(password)}@127.0.0.1:${port}`;

export interface RedisServerOptions {
  port: number;
  /** The `default` user's password (requirepass); leave it out when an `aclfile` setting names the users. */
  password?: string;
  /** Persistence and other settings, as lines of redis.conf (`appendonly yes`, `dir /path`). */
  settings: string[];
}

/** redis.conf for one of our servers; quoted so a path with spaces stays one argument. */
export function redisServerConfig(options: RedisServerOptions): string {
  return [
    `port ${options.port}`,
    'bind 127.0.0.1',
    'protected-mode yes',
    ...(options.password ? [`requirepass "${options.password}"`] : []),
    'daemonize no',
    'loglevel warning',
    ...options.settings,
    '',
  ].join('\n');
}

/** Starts redis-server with that configuration on its standard input (`redis-server -`). */
export function spawnRedisServer(options: RedisServerOptions): ChildProcess {
  const child = spawn('redis-server', ['-'], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin?.end(redisServerConfig(options));
  return child;
}

/** Whether redis-server on 127.0.0.1:port answers PING once authenticated (as `user`, else the default user). */
export function pingRedis(port: number, password: string, timeoutMs = 500, user?: string): Promise<boolean> {
  return new Promise((resolvePing) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      resolvePing(ok);
    };
    socket.setTimeout(timeoutMs);
    socket.once('connect', () => socket.write(`AUTH ${user ? `${user} ` : ''}${password}\r\nPING\r\n`));
    socket.on('data', (data) => {
      answer += data.toString();
      if (answer.includes('+PONG')) finish(true);
      else if (answer.startsWith('-') || answer.includes('\r\n-')) finish(false);
    });
    socket.once('error', () => finish(false));
    socket.once('timeout', () => finish(false));
  });
}

/** Resolves once the server answers an authenticated PING; rejects if it exits or time runs out. */
export async function waitForRedis(
  child: ChildProcess,
  port: number,
  password: string,
  timeoutMs = 30_000,
  user?: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('redis-server exited during start-up');
    if (await pingRedis(port, password, 500, user)) return;
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
  throw new Error(`redis-server did not answer within ${timeoutMs / 1000} s`);
}
