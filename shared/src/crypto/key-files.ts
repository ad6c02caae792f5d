import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { decodeSecret } from '../config/variables';
import { generateKeyPair, type KeyPair } from './envelope';
import { getSodium } from './sodium';

/**
 * The organisation's private key never rests in the clear: it is wrapped
 * (XChaCha20-Poly1305) by a 32-byte master key given at start-up, bound to its public key.
 */
const WrappedKeySchema = z.object({
  format: z.literal('tinbao-wrapped-key'),
  version: z.literal(1),
  publicKey: z.base64(),
  nonce: z.base64(),
  ciphertext: z.base64(),
});
export type WrappedKey = z.infer<typeof WrappedKeySchema>;

export class KeyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyFileError';
  }
}

const associatedData = (publicKey: Uint8Array) =>
  new Uint8Array([...new TextEncoder().encode('tinbao-org-key-v1:'), ...publicKey]);

export async function wrapPrivateKey(keyPair: KeyPair, masterKey: Uint8Array): Promise<WrappedKey> {
  const sodium = await getSodium();
  const nonce = new Uint8Array(randomBytes(24));
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
    keyPair.privateKey,
    associatedData(keyPair.publicKey),
    null,
    nonce,
    masterKey,
  );
  return {
    format: 'tinbao-wrapped-key',
    version: 1,
    publicKey: Buffer.from(keyPair.publicKey).toString('base64'),
    nonce: Buffer.from(nonce).toString('base64'),
    ciphertext: Buffer.from(ciphertext).toString('base64'),
  };
}

export async function unwrapPrivateKey(wrapped: WrappedKey, masterKey: Uint8Array): Promise<KeyPair> {
  const sodium = await getSodium();
  const publicKey = new Uint8Array(Buffer.from(wrapped.publicKey, 'base64'));
  try {
    const privateKey = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      Buffer.from(wrapped.ciphertext, 'base64'),
      associatedData(publicKey),
      Buffer.from(wrapped.nonce, 'base64'),
      masterKey,
    );
    return { publicKey, privateKey };
  } catch {
    throw new KeyFileError('the master key does not unwrap the organisation key (wrong TINBAO_MASTER_KEY?)');
  }
}

export interface OrgKeyPaths {
  publicKeyFile: string;
  wrappedPrivateKeyFile: string;
}

/** Where the organisation keys live: TINBAO_KEYS_DIR, else DATA_DIR/keys (api, bot and CLI agree). */
export const keysDirOf = (config: { DATA_DIR: string; TINBAO_KEYS_DIR?: string | undefined }) =>
  config.TINBAO_KEYS_DIR ?? `${config.DATA_DIR}/keys`;

export const orgKeyPaths = (keysDir: string): OrgKeyPaths => ({
  publicKeyFile: `${keysDir}/org.public.key`,
  wrappedPrivateKeyFile: `${keysDir}/org.private.key.wrapped.json`,
});

/** Writes a file readable by its owner only (0600), creating its folder (0700). */
export async function writeSecretFile(path: string, contents: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, contents, { mode: 0o600, flag: 'wx' });
  await chmod(path, 0o600);
}

/** Creates the organisation key pair; refuses to overwrite an existing one. */
export async function createOrgKeys(paths: OrgKeyPaths, masterKey: Uint8Array): Promise<Uint8Array> {
  const keyPair = await generateKeyPair();
  const wrapped = await wrapPrivateKey(keyPair, masterKey);
  try {
    await writeSecretFile(paths.wrappedPrivateKeyFile, `${JSON.stringify(wrapped, null, 2)}\n`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new KeyFileError(`${paths.wrappedPrivateKeyFile} exists already; refusing to replace the key`);
    }
    throw error;
  }
  await writeFile(paths.publicKeyFile, `${wrapped.publicKey}\n`, { mode: 0o644 });
  return keyPair.publicKey;
}

export async function readPublicKey(path: string): Promise<Uint8Array> {
  const text = await readTextOrFail(path, 'organisation public key');
  const bytes = decodeSecret(text);
  if (bytes?.length !== 32) throw new KeyFileError(`${path} does not hold a 32-byte public key`);
  return bytes;
}

export async function readOrgKeyPair(paths: OrgKeyPaths, masterKey: Uint8Array): Promise<KeyPair> {
  const text = await readTextOrFail(paths.wrappedPrivateKeyFile, 'wrapped organisation key');
  const parsed = WrappedKeySchema.safeParse(safeJson(text));
  if (!parsed.success) throw new KeyFileError(`${paths.wrappedPrivateKeyFile} is not a TinBao wrapped key`);
  return unwrapPrivateKey(parsed.data, masterKey);
}

/** A 32-byte secret from a file (hex or base64), e.g. the master key or the pepper. */
export async function readSecretFile(path: string, what: string): Promise<Uint8Array> {
  const bytes = decodeSecret(await readTextOrFail(path, what));
  if (bytes?.length !== 32) throw new KeyFileError(`${path}: the ${what} must be 32 bytes (hex or base64)`);
  return bytes;
}

/** Creates a 32-byte random secret file (0600) unless it exists; returns its contents. */
export async function ensureSecretFile(path: string, what: string): Promise<Uint8Array> {
  try {
    await writeSecretFile(path, `${randomBytes(32).toString('base64')}\n`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readSecretFile(path, what);
}

async function readTextOrFail(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new KeyFileError(`${what} not found at ${path} (run: npm run tinbao -- keys init)`);
    }
    throw error;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
