/**
 * argon2id cost of a staff login: crypto_pwhash_str (account creation, password change)
 * and crypto_pwhash_str_verify (every password step of a login) at OPSLIMIT/MEMLIMIT_INTERACTIVE.
 */
import { getSodium } from '@tinbao/shared';
import { defaultPasswordHasher, hashPassword, verifyPassword } from '../src/auth/passwords';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
};
const report = (label: string, values: number[]) =>
  console.log(
    `${label.padEnd(28)} p50 ${percentile(values, 50).toFixed(1)} ms   p99 ${percentile(values, 99).toFixed(1)} ms   (n=${values.length})`,
  );

const sodium = await getSodium();
console.log(
  `argon2id interactive: opslimit ${sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE}, memlimit ${sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE / 1024 / 1024} MiB`,
);
const hashes: number[] = [];
const verifies: number[] = [];
const dummies: number[] = [];
let hash = '';
for (let i = 0; i < RUNS; i++) {
  let started = performance.now();
  hash = await hashPassword(`benchmark password ${i}`);
  hashes.push(performance.now() - started);
  started = performance.now();
  if (!(await verifyPassword(hash, `benchmark password ${i}`))) throw new Error('verify failed');
  verifies.push(performance.now() - started);
  started = performance.now();
  await defaultPasswordHasher().verifyDummy('unknown user attempt');
  dummies.push(performance.now() - started);
  if ((i + 1) % 10 === 0) process.stderr.write(`  ${i + 1}/${RUNS}\n`);
}
report('hash (crypto_pwhash_str)', hashes);
report('verify (per login)', verifies);
report('verify dummy (unknown user)', dummies);

// The event loop stays free while argon2id runs on the pool's worker thread: the worst timer delay
// during 10 logins' verifies should be a few ms, not the ~100 ms of one verify.
const verifyHash = await hashPassword('event loop check password');
let worstLag = 0;
let last = performance.now();
const timer = setInterval(() => {
  const now = performance.now();
  worstLag = Math.max(worstLag, now - last - 5);
  last = now;
}, 5);
const started = performance.now();
for (let i = 0; i < 10; i++) await verifyPassword(verifyHash, 'event loop check password');
const elapsed = performance.now() - started;
clearInterval(timer);
console.log(
  `10 verifies in ${elapsed.toFixed(0)} ms; worst event-loop delay meanwhile ${worstLag.toFixed(1)} ms`,
);
