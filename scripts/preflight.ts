/**
 * Runs before `npm test`: the suite uses the machine's real Redis (127.0.0.1:6379) and
 * PostgreSQL (127.0.0.1:5432) and Debian's Chromium. Starts a stopped service when it is
 * installed; otherwise says in one line how to install it.
 */
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { Socket } from 'node:net';

const problems: string[] = [];

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.connect(port, '127.0.0.1');
  });
}

async function waitUntilReachable(port: number): Promise<boolean> {
  for (let attempt = 0; attempt < 40; attempt++) {
    if (await reachable(port)) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

const installed = (command: string) => !spawnSync(command, ['--version']).error;

if (!(await reachable(6379))) {
  if (installed('redis-server')) {
    console.log('preflight: starting redis-server on 127.0.0.1:6379');
    execSync('redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no');
    if (!(await waitUntilReachable(6379))) problems.push('redis-server did not come up on 127.0.0.1:6379');
  } else {
    problems.push('Redis is needed on 127.0.0.1:6379: sudo apt-get install -y redis-server');
  }
}

if (!process.env.TEST_POSTGRES_URL && !(await reachable(5432))) {
  const versions = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql') : [];
  if (versions.length > 0) {
    console.log('preflight: starting PostgreSQL on 127.0.0.1:5432');
    spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', versions[0]!, 'main', 'start'], {
      stdio: 'inherit',
    });
    if (!(await waitUntilReachable(5432))) problems.push('PostgreSQL did not come up on 127.0.0.1:5432');
  } else {
    problems.push(
      'PostgreSQL is needed on 127.0.0.1:5432 (trust auth for user postgres), or set TEST_POSTGRES_URL: sudo apt-get install -y postgresql',
    );
  }
}

if (!existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
  problems.push("Debian's Chromium is needed for the browser tests: sudo apt-get install -y chromium");
}

if (problems.length > 0) {
  for (const problem of problems) console.error(`preflight: ${problem}`);
  process.exit(1);
}
