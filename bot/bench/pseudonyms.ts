/**
 * What inverting a pseudonym costs someone who holds the gateway's pepper: one guess is one
 * argon2id at the production cost (as the gateway computes it, on a worker thread), beside the
 * fast keyed hash used before, and the CPU-years to try every Telegram user id (about 2³³) or a
 * larger id space.
 *
 *   npx tsx bot/bench/pseudonyms.ts [guesses]
 */
import { randomBytes } from 'node:crypto';
import { argon2Limits, createArgon2Pool, getSodium } from '@tinbao/shared';

const GUESSES = Number(process.argv[2] ?? 30);
const YEAR_S = 365.25 * 24 * 3600;
const sodium = await getSodium();
const pepper = new Uint8Array(randomBytes(32));
const salt = sodium.crypto_generichash(16, 'bench salt', pepper);
const limits = await argon2Limits('pseudonym');
const pool = createArgon2Pool({ threads: 1 });

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

console.log(
  `pseudonym guess cost: argon2id opslimit ${limits.opslimit}, memlimit ${limits.memlimit / 1024 / 1024} MiB, ${GUESSES} guesses on one thread`,
);
await pool.derive(sodium.crypto_generichash(32, 'warm-up', pepper), salt, limits);
const times: number[] = [];
for (let guess = 0; guess < GUESSES; guess++) {
  const input = sodium.crypto_generichash(32, String(5_000_000_000 + guess), pepper);
  const started = performance.now();
  await pool.derive(input, salt, limits);
  times.push(performance.now() - started);
  if ((guess + 1) % 10 === 0) console.log(`  … ${guess + 1}/${GUESSES}`);
}
await pool.close();

// The reference: the keyed BLAKE2b the pseudonyms were before, same library, same run.
const FAST = 200_000;
const fastStarted = performance.now();
for (let guess = 0; guess < FAST; guess++) sodium.crypto_generichash(16, `telegram:${guess}`, pepper);
const fastMs = (performance.now() - fastStarted) / FAST;

const p50 = percentile(times, 50);
const years = (space: number, ms: number) => (space * ms) / 1000 / YEAR_S;
console.log(`  argon2id per guess: p50 ${p50.toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms`);
console.log(
  `  keyed BLAKE2b per guess (before): ${(fastMs * 1000).toFixed(2)} µs (${Math.round(1000 / fastMs)} guesses/s)`,
);
console.log(
  `  every Telegram user id (2^33): ${years(2 ** 33, p50).toFixed(1)} CPU-years with argon2id, ${(years(2 ** 33, fastMs) * YEAR_S).toFixed(0)} CPU-seconds before`,
);
console.log(`  an id space of 2^40: ${years(2 ** 40, p50).toFixed(0)} CPU-years with argon2id`);
console.log(`  target ≥ 50 ms per guess: ${p50 >= 50 ? 'met' : 'NOT met'}`);
