import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  type Argon2Pool,
  meetsDifficulty,
  POW_HASH_BYTES,
  POW_MEMLIMIT,
  POW_OPSLIMIT,
  POW_SALT_BYTES,
  powInput,
} from '@tinbao/shared';
import type { ProofOfWork, ProofOfWorkSolution } from '@tinbao/shared/api/auth';
import type { Redis } from 'ioredis';
import type { LoginKeys } from './login-keys';

/** How long a challenge may be answered: enough for a slow phone, short enough to keep no stock. */
export const POW_CHALLENGE_SECONDS = 5 * 60;

const VERSION = 1;
const MAC_BYTES = 16;
// version || bits || expires at (seconds, u32) || salt
const PAYLOAD_BYTES = 1 + 1 + 4 + POW_SALT_BYTES;

const macOf = (keys: LoginKeys, payload: Buffer) =>
  createHmac('sha256', keys.proofOfWorkKey).update(payload).digest().subarray(0, MAC_BYTES);

/**
 * A new challenge. Stateless (signed, with its expiry and difficulty inside): handing out
 * puzzles costs the server no storage, so asking for many of them is no attack.
 */
export function issueChallenge(keys: LoginKeys, bits: number, now: Date): ProofOfWork {
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload[0] = VERSION;
  payload[1] = bits;
  payload.writeUInt32BE(Math.floor(now.getTime() / 1000) + POW_CHALLENGE_SECONDS, 2);
  const salt = randomBytes(POW_SALT_BYTES);
  salt.copy(payload, 6);
  return {
    challenge: Buffer.concat([payload, macOf(keys, payload)]).toString('base64url'),
    salt: salt.toString('hex'),
    bits,
    opslimit: POW_OPSLIMIT,
    memlimit: POW_MEMLIMIT,
  };
}

export type PowVerdict = 'ok' | 'invalid' | 'expired' | 'replayed';

export interface PowCheckDeps {
  keys: LoginKeys;
  pool: Argon2Pool;
  redis: Redis;
  redisPrefix: string;
}

/**
 * Checks a solution: our signature, not expired, at least `minBits` (a puzzle handed out
 * before the difficulty was raised does not count for less), one argon2id try on the pool,
 * then spent: a solved challenge opens one attempt only (SET NX in Redis until it expires).
 * Throws Argon2PoolFull when the pool's queue is full, and a Redis error when Redis is down:
 * without the single-use mark a solution could be replayed, so it is not accepted.
 */
export async function checkSolution(
  deps: PowCheckDeps,
  solution: ProofOfWorkSolution,
  minBits: number,
  now: Date,
): Promise<PowVerdict> {
  const bytes = Buffer.from(solution.challenge, 'base64url');
  if (bytes.length !== PAYLOAD_BYTES + MAC_BYTES || bytes[0] !== VERSION) return 'invalid';
  const payload = bytes.subarray(0, PAYLOAD_BYTES);
  if (!timingSafeEqual(macOf(deps.keys, payload), bytes.subarray(PAYLOAD_BYTES))) return 'invalid';
  const bits = payload[1] ?? 0;
  const expiresAt = payload.readUInt32BE(2) * 1000;
  if (expiresAt <= now.getTime()) return 'expired';
  if (bits < minBits) return 'invalid';
  const salt = new Uint8Array(payload.subarray(6));
  const hash = await deps.pool.derive(
    powInput(solution.challenge, solution.nonce),
    salt,
    { opslimit: POW_OPSLIMIT, memlimit: POW_MEMLIMIT },
    POW_HASH_BYTES,
  );
  if (!meetsDifficulty(hash, bits)) return 'invalid';
  const spent = createHash('sha256').update(payload).digest('hex').slice(0, 32);
  const first = await deps.redis.set(
    `${deps.redisPrefix}:login-pow-spent:${spent}`,
    '1',
    'PX',
    Math.max(1, expiresAt - now.getTime()),
    'NX',
  );
  return first === 'OK' ? 'ok' : 'replayed';
}
