import { createHash, randomBytes } from 'node:crypto';
import { getSodium } from './sodium';

/**
 * Envelope format, version 1 (all integers unsigned):
 *
 *   "TB" | version:u8 = 1 | recipientCount:u8 | recipientCount × (keyId:8 | sealedDataKey:80) | nonce:24 | ciphertext
 *
 * The content is encrypted with XChaCha20-Poly1305 under a fresh random data key; the data
 * key is sealed (crypto_box_seal) to each recipient's X25519 public key. Everything before
 * the ciphertext is the AEAD's associated data, so flipping any bit anywhere fails to open.
 * New recipients (per-unit keys) are just more entries; a new layout gets a new version.
 */
export const ENVELOPE_VERSION = 1;
const MAGIC = [0x54, 0x42];
const KEY_ID_BYTES = 8;
const SEALED_KEY_BYTES = 32 + 48; // data key + crypto_box_SEALBYTES
const NONCE_BYTES = 24;
const MAX_RECIPIENTS = 255;

export type EnvelopeErrorCode = 'malformed' | 'unsupported_version' | 'not_a_recipient' | 'tampered';

export class EnvelopeError extends Error {
  constructor(
    readonly code: EnvelopeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EnvelopeError';
  }
}

export interface KeyPair {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

/** Short public identifier of a recipient key, stored in the envelope header. */
export function keyIdOf(publicKey: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(publicKey).digest().subarray(0, KEY_ID_BYTES));
}

export async function generateKeyPair(): Promise<KeyPair> {
  const sodium = await getSodium();
  const pair = sodium.crypto_box_keypair();
  return { publicKey: pair.publicKey, privateKey: pair.privateKey };
}

/** Seals `plaintext` so that any of `recipients` (X25519 public keys) can open it. */
export async function sealEnvelope(plaintext: Uint8Array, recipients: Uint8Array[]): Promise<Uint8Array> {
  if (recipients.length === 0 || recipients.length > MAX_RECIPIENTS) {
    throw new RangeError(`an envelope needs 1 to ${MAX_RECIPIENTS} recipients`);
  }
  const sodium = await getSodium();
  // Keys and nonces from node:crypto: libsodium's WASM randombytes costs ~55 µs a call.
  const dataKey = new Uint8Array(randomBytes(32));
  const nonce = new Uint8Array(randomBytes(NONCE_BYTES));
  const headerLength = 4 + recipients.length * (KEY_ID_BYTES + SEALED_KEY_BYTES) + NONCE_BYTES;
  const header = new Uint8Array(headerLength);
  header.set(MAGIC, 0);
  header[2] = ENVELOPE_VERSION;
  header[3] = recipients.length;
  let offset = 4;
  for (const publicKey of recipients) {
    if (publicKey.length !== 32) throw new RangeError('a recipient key is 32 bytes');
    header.set(keyIdOf(publicKey), offset);
    header.set(sodium.crypto_box_seal(dataKey, publicKey), offset + KEY_ID_BYTES);
    offset += KEY_ID_BYTES + SEALED_KEY_BYTES;
  }
  header.set(nonce, offset);
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
    plaintext,
    header,
    null,
    nonce,
    dataKey,
  );
  sodium.memzero(dataKey);
  const envelope = new Uint8Array(header.length + ciphertext.length);
  envelope.set(header, 0);
  envelope.set(ciphertext, header.length);
  return envelope;
}

/** Opens an envelope with one recipient's key pair; throws EnvelopeError on any mismatch. */
export async function openEnvelope(envelope: Uint8Array, keyPair: KeyPair): Promise<Uint8Array> {
  const sodium = await getSodium();
  if (envelope.length < 4 || envelope[0] !== MAGIC[0] || envelope[1] !== MAGIC[1]) {
    throw new EnvelopeError('malformed', 'not a TinBao envelope');
  }
  if (envelope[2] !== ENVELOPE_VERSION) {
    throw new EnvelopeError('unsupported_version', `envelope version ${envelope[2]} is not supported`);
  }
  const count = envelope[3] ?? 0;
  const headerLength = 4 + count * (KEY_ID_BYTES + SEALED_KEY_BYTES) + NONCE_BYTES;
  if (count === 0 || envelope.length < headerLength + 16) {
    throw new EnvelopeError('malformed', 'envelope is truncated');
  }
  const wantedId = keyIdOf(keyPair.publicKey);
  let dataKey: Uint8Array | undefined;
  for (let index = 0, offset = 4; index < count; index++, offset += KEY_ID_BYTES + SEALED_KEY_BYTES) {
    if (!sodium.memcmp(envelope.subarray(offset, offset + KEY_ID_BYTES), wantedId)) continue;
    const sealed = envelope.subarray(offset + KEY_ID_BYTES, offset + KEY_ID_BYTES + SEALED_KEY_BYTES);
    try {
      dataKey = sodium.crypto_box_seal_open(sealed, keyPair.publicKey, keyPair.privateKey);
    } catch {
      throw new EnvelopeError('tampered', 'the sealed data key does not open');
    }
    break;
  }
  if (!dataKey) throw new EnvelopeError('not_a_recipient', 'this key is not a recipient of the envelope');
  const header = envelope.subarray(0, headerLength);
  const nonce = envelope.subarray(headerLength - NONCE_BYTES, headerLength);
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      envelope.subarray(headerLength),
      header,
      nonce,
      dataKey,
    );
  } catch {
    throw new EnvelopeError('tampered', 'the envelope failed authentication');
  } finally {
    sodium.memzero(dataKey);
  }
}

/** The key ids an envelope is sealed to, readable without any secret. */
export function envelopeRecipients(envelope: Uint8Array): string[] {
  const count = envelope[3] ?? 0;
  const ids: string[] = [];
  for (let index = 0, offset = 4; index < count; index++, offset += KEY_ID_BYTES + SEALED_KEY_BYTES) {
    ids.push(Buffer.from(envelope.subarray(offset, offset + KEY_ID_BYTES)).toString('hex'));
  }
  return ids;
}

export async function sealJson(value: unknown, recipients: Uint8Array[]): Promise<Uint8Array> {
  return sealEnvelope(new TextEncoder().encode(JSON.stringify(value)), recipients);
}

export async function openJson(envelope: Uint8Array, keyPair: KeyPair): Promise<unknown> {
  return JSON.parse(new TextDecoder().decode(await openEnvelope(envelope, keyPair)));
}
