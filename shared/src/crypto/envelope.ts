import { createHash, randomBytes } from 'node:crypto';
import { getSodium } from './sodium';

/**
 * Envelope format, version 2 (all integers unsigned):
 *
 *   "TB" | version:u8 = 2 | recipientCount:u8 | recipientCount × (keyId:8 | sealedDataKey:80) | nonce:24 | ciphertext
 *
 * The content is encrypted with XChaCha20-Poly1305 under a fresh random data key; the data
 * key is sealed (crypto_box_seal) to each recipient's X25519 public key. The AEAD's associated
 * data is everything before the ciphertext plus the caller's context (a tip's id and receipt
 * code, see sealed-tip.ts), so flipping any bit anywhere, or opening it as another tip's,
 * fails. Before encryption the plaintext is padded (ISO/IEC 7816-4, libsodium's sodium_pad)
 * to a power-of-two bucket of at least 1 KiB, so the length shows the bucket only, not how
 * long the text is or how large the photos are.
 *
 * Version 1 (the same layout, no context, no padding) still opens, for tips stored before
 * version 2; a caller that needs a context refuses it (see openEnvelope's `context`).
 * New recipients (per-unit keys) are just more entries; a new layout gets a new version.
 */
export const ENVELOPE_VERSION = 2;
const LEGACY_VERSION = 1;
const MAGIC = [0x54, 0x42];
const KEY_ID_BYTES = 8;
const SEALED_KEY_BYTES = 32 + 48; // data key + crypto_box_SEALBYTES
const NONCE_BYTES = 24;
const TAG_BYTES = 16;
const MAX_RECIPIENTS = 255;
/** The smallest padded plaintext: every short tip looks the same. */
export const MIN_PADDED_BYTES = 1024;

/** The padded length of a plaintext of `length` bytes: the next power of two above it, at least 1 KiB. */
export function paddedLength(length: number): number {
  // At least one byte of padding (the 0x80 marker), so a plaintext of exactly 2^k bytes goes up one bucket.
  let bucket = MIN_PADDED_BYTES;
  while (bucket < length + 1) bucket *= 2;
  return bucket;
}

export type EnvelopeErrorCode =
  | 'malformed'
  | 'unsupported_version'
  | 'not_a_recipient'
  | 'tampered'
  /** A version 1 envelope asked to prove a context it cannot carry. */
  | 'unbound';

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

export interface SealOptions {
  /** Bound to the envelope as associated data: it opens only with the very same bytes. */
  context?: Uint8Array;
}

export interface OpenOptions {
  /** The context the envelope was sealed with (see SealOptions). */
  context?: Uint8Array;
  /**
   * Version 1 envelopes carry no context. Without a context they always open; with one they
   * open (the context unchecked) only with `legacy: 'accept'`, for what was stored before
   * version 2, and otherwise fail with `unbound`.
   */
  legacy?: 'accept' | 'refuse';
}

const EMPTY = new Uint8Array(0);

function associatedData(header: Uint8Array, context: Uint8Array): Uint8Array {
  if (context.length === 0) return header;
  const data = new Uint8Array(header.length + context.length);
  data.set(header, 0);
  data.set(context, header.length);
  return data;
}

/** Seals `plaintext` so that any of `recipients` (X25519 public keys) can open it, padded to its bucket. */
export async function sealEnvelope(
  plaintext: Uint8Array,
  recipients: Uint8Array[],
  options: SealOptions = {},
): Promise<Uint8Array> {
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
  const padded = sodium.pad(plaintext, paddedLength(plaintext.length));
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
    padded,
    associatedData(header, options.context ?? EMPTY),
    null,
    nonce,
    dataKey,
  );
  sodium.memzero(dataKey);
  sodium.memzero(padded);
  const envelope = new Uint8Array(header.length + ciphertext.length);
  envelope.set(header, 0);
  envelope.set(ciphertext, header.length);
  return envelope;
}

/** The envelope's format version, or undefined when it is not a TinBao envelope. */
export function envelopeVersion(envelope: Uint8Array): number | undefined {
  if (envelope.length < 4 || envelope[0] !== MAGIC[0] || envelope[1] !== MAGIC[1]) return undefined;
  return envelope[2];
}

/** Opens an envelope with one recipient's key pair; throws EnvelopeError on any mismatch. */
export async function openEnvelope(
  envelope: Uint8Array,
  keyPair: KeyPair,
  options: OpenOptions = {},
): Promise<Uint8Array> {
  const sodium = await getSodium();
  const version = envelopeVersion(envelope);
  if (version === undefined) throw new EnvelopeError('malformed', 'not a TinBao envelope');
  if (version !== ENVELOPE_VERSION && version !== LEGACY_VERSION) {
    throw new EnvelopeError('unsupported_version', `envelope version ${version} is not supported`);
  }
  const context = options.context ?? EMPTY;
  if (version === LEGACY_VERSION && context.length > 0 && options.legacy !== 'accept') {
    throw new EnvelopeError('unbound', 'a version 1 envelope is bound to no context');
  }
  const count = envelope[3] ?? 0;
  const headerLength = 4 + count * (KEY_ID_BYTES + SEALED_KEY_BYTES) + NONCE_BYTES;
  if (count === 0 || envelope.length < headerLength + TAG_BYTES) {
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
  let plaintext: Uint8Array;
  try {
    plaintext = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      envelope.subarray(headerLength),
      version === LEGACY_VERSION ? header : associatedData(header, context),
      nonce,
      dataKey,
    );
  } catch {
    throw new EnvelopeError('tampered', 'the envelope failed authentication (or another context)');
  } finally {
    sodium.memzero(dataKey);
  }
  if (version === LEGACY_VERSION) return plaintext;
  try {
    return sodium.unpad(plaintext, plaintext.length);
  } catch {
    // Authenticated yet badly padded: only a sealer who got the format wrong makes this.
    throw new EnvelopeError('malformed', "the envelope's padding is invalid");
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

export async function sealJson(
  value: unknown,
  recipients: Uint8Array[],
  options: SealOptions = {},
): Promise<Uint8Array> {
  return sealEnvelope(new TextEncoder().encode(JSON.stringify(value)), recipients, options);
}

export async function openJson(
  envelope: Uint8Array,
  keyPair: KeyPair,
  options: OpenOptions = {},
): Promise<unknown> {
  return JSON.parse(new TextDecoder().decode(await openEnvelope(envelope, keyPair, options)));
}
