import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createOrgKeys,
  decodeSecret,
  ensureSecretFile,
  orgKeyPaths,
  readPublicKey,
  readSecretFile,
} from '@tinbao/shared';

/**
 * A copy of the public key for the gateway, which must not see the folder holding the wrapped
 * private key (compose: the `org-public-key` volume, mounted read-only into the bot).
 */
async function exportPublicKey(publicKeyFile: string, to: string): Promise<void> {
  const publicKey = await readPublicKey(publicKeyFile);
  await mkdir(dirname(to), { recursive: true });
  await writeFile(to, `${Buffer.from(publicKey).toString('base64')}\n`, { mode: 0o644 });
  console.log(`public key copied to ${to}`);
}

/** `keys init [--if-missing] [--public-key-out <file>]`: the organisation key pair, its private half wrapped by the master key. */
export async function keysInit(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { 'if-missing': { type: 'boolean' }, 'public-key-out': { type: 'string' } },
  });
  const dataDir = process.env.DATA_DIR || './data';
  const keysDir = process.env.TINBAO_KEYS_DIR || `${dataDir}/keys`;
  const paths = orgKeyPaths(keysDir);
  const publicKeyOut = values['public-key-out'];
  if (values['if-missing'] && existsSync(paths.wrappedPrivateKeyFile)) {
    if (publicKeyOut) await exportPublicKey(paths.publicKeyFile, publicKeyOut);
    return 0;
  }
  if (process.env.TINBAO_MASTER_KEY && process.env.TINBAO_MASTER_KEY_FILE) {
    console.error('tinbao keys: set either TINBAO_MASTER_KEY or TINBAO_MASTER_KEY_FILE, not both');
    return 1;
  }

  let masterKey: Uint8Array;
  if (process.env.TINBAO_MASTER_KEY) {
    const decoded = decodeSecret(process.env.TINBAO_MASTER_KEY);
    if (decoded?.length !== 32) {
      console.error('tinbao keys: TINBAO_MASTER_KEY must be 32 bytes as 64 hex characters or base64');
      return 1;
    }
    masterKey = decoded;
  } else {
    const file = process.env.TINBAO_MASTER_KEY_FILE || `${keysDir}/master.key`;
    // An existing file (a Docker secret is read-only) is only read; a missing one is created.
    masterKey = existsSync(file)
      ? await readSecretFile(file, 'master key')
      : await ensureSecretFile(file, 'master key');
    console.log(`master key: ${file} (mode 0600; keep it apart from backups of the database)`);
  }
  const publicKey = await createOrgKeys(paths, masterKey);
  console.log(`organisation public key: ${Buffer.from(publicKey).toString('base64')}`);
  console.log(`written: ${paths.publicKeyFile}, ${paths.wrappedPrivateKeyFile}`);
  if (publicKeyOut) await exportPublicKey(paths.publicKeyFile, publicKeyOut);
  return 0;
}
