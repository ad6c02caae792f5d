import { KeyFileError } from '@tinbao/shared';
import { AUDIT_USAGE, auditCommand } from './audit';
import { DB_USAGE, dbCommand } from './db';
import { keysInit } from './keys';
import { RETENTION_USAGE, retentionCommand } from './retention';
import { USERS_USAGE, usersCommand } from './users';

/**
 * Admin command line: `npm run tinbao -- <command>`.
 *   keys init [--if-missing]   create the organisation key pair (private key wrapped by the master key)
 */
const USAGE = `usage: npm run tinbao -- <command>

commands:
  keys init [--if-missing] [--public-key-out <file>]
                             create the organisation key pair; prints the public key
                             master key: TINBAO_MASTER_KEY, or the file TINBAO_MASTER_KEY_FILE
                             (created, mode 0600, when neither is set: DATA_DIR/keys/master.key);
                             --public-key-out: also copy the public key there (for the gateway)
${DB_USAGE}${USERS_USAGE}${AUDIT_USAGE}${RETENTION_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [group, command, ...rest] = argv;
  if (group === 'keys' && command === 'init') return keysInit(rest);
  if (group === 'db') return dbCommand(command === undefined ? [] : [command, ...rest]);
  if (group === 'users') return usersCommand(command === undefined ? [] : [command, ...rest]);
  if (group === 'audit') return auditCommand(command === undefined ? [] : [command, ...rest]);
  if (group === 'retention') return retentionCommand(command === undefined ? [] : [command, ...rest]);
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
