import { randomBytes } from 'node:crypto';
import { getSodium } from '@tinbao/shared';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { resolveMasterKey } from '../keys/master-key';

/** RFC 6238 as every authenticator app expects it: SHA1, 6 digits, 30 s, ±1 step accepted. */
const PERIOD_SECONDS = 30;
const ISSUER = 'TinBao';
const KDF_CONTEXT = 'tbtotp01'; // crypto_kdf contexts are exactly 8 bytes
const KDF_SUBKEY_ID = 1;

type MasterKeyConfig = Parameters<typeof resolveMasterKey>[0];

const keyCache = new WeakMap<object, Promise<Uint8Array>>();

/**
 * The key that encrypts TOTP secrets at rest: derived from the master key (never the master
 * key itself), so a database dump without the master key reveals no second factor.
 */
export function totpKeyOf(source: MasterKeyConfig | Uint8Array): Promise<Uint8Array> {
  let key = keyCache.get(source);
  if (!key) {
    key = (async () => {
      const master = source instanceof Uint8Array ? source : await resolveMasterKey(source);
      const sodium = await getSodium();
      return sodium.crypto_kdf_derive_from_key(32, KDF_SUBKEY_ID, KDF_CONTEXT, master);
    })();
    keyCache.set(source, key);
  }
  return key;
}

const NONCE_BYTES = 24;

/** nonce || XChaCha20-Poly1305(secret), bound to the user id as associated data. */
export async function encryptTotpSecret(
  key: Uint8Array,
  userId: string,
  secret: Uint8Array,
): Promise<Uint8Array> {
  const sodium = await getSodium();
  const nonce = new Uint8Array(randomBytes(NONCE_BYTES));
  const box = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(secret, userId, null, nonce, key);
  const out = new Uint8Array(NONCE_BYTES + box.length);
  out.set(nonce);
  out.set(box, NONCE_BYTES);
  return out;
}

export async function decryptTotpSecret(
  key: Uint8Array,
  userId: string,
  sealed: Uint8Array,
): Promise<Uint8Array> {
  const sodium = await getSodium();
  return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
    null,
    sealed.subarray(NONCE_BYTES),
    userId,
    sealed.subarray(0, NONCE_BYTES),
    key,
  );
}

/** 20 random bytes (160 bits, RFC 4226's recommendation for SHA1). */
export const generateTotpSecret = () => new Uint8Array(randomBytes(20));

const totpOf = (secret: Uint8Array, username: string) =>
  new TOTP({
    issuer: ISSUER,
    label: username,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
    secret: new Secret({ buffer: secret.slice().buffer }),
  });

export const base32Of = (secret: Uint8Array) => new Secret({ buffer: secret.slice().buffer }).base32;

export async function enrolmentOf(secret: Uint8Array, username: string) {
  const otpauthUrl = totpOf(secret, username).toString();
  const qrSvg = await QRCode.toString(otpauthUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { otpauthUrl, qrSvg, secret: base32Of(secret) };
}

/** The time step a code is valid for, or null if it matches none of now-1, now, now+1. */
export function matchTotpStep(secret: Uint8Array, code: string, now: Date): number | null {
  const totp = totpOf(secret, 'x');
  const delta = totp.validate({ token: code, timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  return Math.floor(now.getTime() / 1000 / PERIOD_SECONDS) + delta;
}

/** The current code of a secret (tests, and the CLI's own check). */
export function currentTotpCode(secret: Uint8Array, now: Date = new Date()): string {
  return totpOf(secret, 'x').generate({ timestamp: now.getTime() });
}

export const totpStepOf = (now: Date) => Math.floor(now.getTime() / 1000 / PERIOD_SECONDS);
