import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createOrgKeys, decodeSecret, ensureSecretFile, KeyFileError, orgKeyPaths } from '@tinbao/shared';
import { AUDIT_USAGE, auditCommand } from './audit';
import { USERS_USAGE, usersCommand } from './users';

/**
 * Admin command line: `npm run tinbao -- <command>`.
 *   keys init [--if-missing]   create the organisation key pair (private key wrapped by the master key)
 */
const USAGE = `usage: npm run tinbao -- <command>

commands:
  keys init [--if-missing]   create the organisation key pair; prints the public key
                             master key: TINBAO_MASTER_KEY, or the file TINBAO_MASTER_KEY_FILE
                             (created, mode 0600, when neither is set: DATA_DIR/keys/master.key)
${USERS_USAGE}${AUDIT_USAGE}`;

async function keysInit(argv: string[]): Promise<number> {
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

async function main(argv: string[]): Promise<number> {
  const [group, command, ...rest] = argv;
  if (group === 'keys' && command === 'init') return keysInit(rest);
  if (group === 'users') return usersCommand(command === undefined ? [] : [command, ...rest]);
  if (group === 'audit') return auditCommand(command === undefined ? [] : [command, ...rest]);
  console.error(USAGE);
  return group === undefined || group === 'help' || group === '--help' ? 0 : 2;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (
    error instanceof KeyFileError ||
    (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
  ) {
    console.error(`tinbao: ${(error as Error).message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
