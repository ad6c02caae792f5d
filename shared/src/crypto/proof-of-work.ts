/**
 * The login's proof of work, as GlobaLeaks 5 does it: the server hands out a challenge, the
 * client finds a nonce such that argon2id(challenge ":" nonce, salt) starts with `bits` zero
 * bits, about 2^bits tries. argon2id makes each try cost memory, so GPUs gain little; the
 * server checks one try. Shared by the API (issue, check), the moderation UI's worker (solve)
 * and the tests; no Node or DOM API here, so it runs in a browser worker too.
 */

/** One pass over 1 MiB: about 0.7 ms a try in Node here; 2^10 tries ≈ 1 s in a browser. */
export const POW_OPSLIMIT = 1;
export const POW_MEMLIMIT = 1 << 20;
export const POW_HASH_BYTES = 32;
export const POW_SALT_BYTES = 16;
/** The most bits the API may ask for: 2^20 tries would take minutes on a phone. */
export const POW_MAX_BITS = 20;

/** What a client needs to solve a challenge (the API's `pow` answer). */
export interface ProofOfWorkPuzzle {
  challenge: string;
  /** Hex, 16 bytes. */
  salt: string;
  bits: number;
  opslimit: number;
  memlimit: number;
}

/** The bytes that are hashed for one try: `challenge:nonce` in UTF-8. */
export function powInput(challenge: string, nonce: number): Uint8Array {
  return new TextEncoder().encode(`${challenge}:${nonce}`);
}

/** True when the first `bits` bits of `hash` are zero. */
export function meetsDifficulty(hash: Uint8Array, bits: number): boolean {
  let remaining = bits;
  for (const byte of hash) {
    if (remaining <= 0) return true;
    if (remaining >= 8) {
      if (byte !== 0) return false;
      remaining -= 8;
    } else {
      return byte >> (8 - remaining) === 0;
    }
  }
  return remaining <= 0;
}

export function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** argon2id of one try: the caller's libsodium (`crypto_pwhash`), in-thread or on a pool. */
export type PowDerive = (
  input: Uint8Array,
  salt: Uint8Array,
  opslimit: number,
  memlimit: number,
) => Uint8Array | Promise<Uint8Array>;

/**
 * Finds the first nonce that meets the puzzle's difficulty. `signal` stops the search (a
 * user who left the page); `onProgress` hears the tries so far every 64.
 */
export async function solveProofOfWork(
  puzzle: ProofOfWorkPuzzle,
  derive: PowDerive,
  options: { signal?: AbortSignal; onProgress?: (tries: number) => void; maxTries?: number } = {},
): Promise<number> {
  const salt = hexToBytes(puzzle.salt);
  const maxTries = options.maxTries ?? 2 ** (puzzle.bits + 8);
  for (let nonce = 0; nonce < maxTries; nonce++) {
    if (options.signal?.aborted) throw new Error('proof of work aborted');
    const hash = await derive(powInput(puzzle.challenge, nonce), salt, puzzle.opslimit, puzzle.memlimit);
    if (meetsDifficulty(hash, puzzle.bits)) return nonce;
    if (nonce % 64 === 63) options.onProgress?.(nonce + 1);
  }
  throw new Error(`no proof of work found in ${maxTries} tries`);
}
