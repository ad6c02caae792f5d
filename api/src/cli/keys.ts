import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createOrgKeys, decodeSecret, ensureSecretFile, orgKeyPaths } from '@tinbao/shared';

/** `keys init [--if-missing]`: the organisation key pair, its private half wrapped by the master key. */
export async function keysInit(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { 'if-missing': { type: 'boolean' } } });
  const dataDir = process.env.DATA_DIR || './data';
  const keysDir = process.env.TINBAO_KEYS_DIR || `${dataDir}/keys`;
  const paths = orgKeyPaths(keysDir);
  if (values['if-missing'] && existsSync(paths.wrappedPrivateKeyFile)) return 0;

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
    masterKey = await ensureSecretFile(file, 'master key');
    console.log(`master key: ${file} (mode 0600; keep it apart from backups of the database)`);
  }
  const publicKey = await createOrgKeys(paths, masterKey);
  console.log(`organisation public key: ${Buffer.from(publicKey).toString('base64')}`);
  console.log(`written: ${paths.publicKeyFile}, ${paths.wrappedPrivateKeyFile}`);
  return 0;
}
