/**
 * The attackers of tests/e2e/login-flood.test.ts, as a process of their own (like another
 * machine: their event loop and their proof-of-work thread are not the measuring test's).
 * FLOOD_ATTACKERS loops send bad logins for FLOOD_USERNAME to the api at FLOOD_PORT, each
 * waiting for its answer before the next (60 concurrent requests at all times). The first
 * FLOOD_FIXED loops keep one address each (the first: FLOOD_SHARED_ADDRESS, the owner's), the
 * others take a new one per try; the loop right after them solves every proof of work it is
 * asked. Prints `flood on` once FLOOD_STEADY_AFTER answers came back (the start's burst and
 * the first compilations are over); on SIGTERM finishes the requests in flight, prints
 * `RESULT <json>` and exits.
 */
import { Agent, request } from 'node:http';
import { createArgon2Pool, solveProofOfWork } from '@tinbao/shared';
import { ProofOfWorkRequiredSchema } from '@tinbao/shared/api/auth';

const port = Number(process.env.FLOOD_PORT);
const username = process.env.FLOOD_USERNAME ?? '';
const attackers = Number(process.env.FLOOD_ATTACKERS ?? 60);
const fixed = Number(process.env.FLOOD_FIXED ?? 10);
const sharedAddress = process.env.FLOOD_SHARED_ADDRESS ?? '10.250.0.0';
const steadyAfter = Number(process.env.FLOOD_STEADY_AFTER ?? 1000);

const agent = new Agent({ keepAlive: true, maxSockets: attackers });
const solver = createArgon2Pool({ threads: 1 });
const tally: Record<string, number> = {};
let sent = 0;
let solved = 0;
let solvingMs = 0;
let serverErrors = 0;
let stop = false;
let rotating = 0;
let announced = false;

const nextAddress = () => {
  rotating++;
  return `10.${1 + (rotating >> 16)}.${(rotating >> 8) & 255}.${rotating & 255}`;
};

function post(body: unknown, address: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/v1/auth/login',
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          'x-forwarded-for': address,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function attacker(index: number): Promise<void> {
  const address = index < fixed ? (index === 0 ? sharedAddress : `10.250.0.${index}`) : null;
  const pays = index === fixed;
  let pow: { challenge: string; nonce: number } | undefined;
  for (let i = 0; !stop; i++) {
    const answer = await post(
      { username, password: `attacker ${index} guess ${i}`, ...(pow ? { pow } : {}) },
      address ?? nextAddress(),
    );
    sent++;
    const key = `${answer.status} ${String(answer.body.error ?? 'ok')}`;
    tally[key] = (tally[key] ?? 0) + 1;
    if (answer.status >= 500) serverErrors++;
    pow = undefined;
    if (!announced && sent >= steadyAfter) {
      announced = true;
      process.stdout.write('flood on\n');
    }
    if (answer.body.error !== 'proof_of_work_required') continue;
    if (pays && !stop) {
      const puzzle = ProofOfWorkRequiredSchema.parse(answer.body).pow;
      const started = performance.now();
      const nonce = await solveProofOfWork(puzzle, (input, salt, opslimit, memlimit) =>
        solver.derive(input, salt, { opslimit, memlimit }, 32),
      );
      solvingMs += performance.now() - started;
      solved++;
      pow = { challenge: puzzle.challenge, nonce };
    }
  }
}

const started = performance.now();
const running = Promise.all(Array.from({ length: attackers }, (_, i) => attacker(i)));
process.on('SIGTERM', () => {
  stop = true;
});
await running;
const seconds = (performance.now() - started) / 1000;
process.stdout.write(
  `RESULT ${JSON.stringify({ sent, seconds, tally, solved, solvingMs: solved ? solvingMs / solved : 0, serverErrors })}\n`,
);
agent.destroy();
await solver.close();
process.exit(0);
