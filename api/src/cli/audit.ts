import { verifyAuditChain } from '../audit/audit-log';
import type { Database } from '../platform/db';
import { CliDatabaseError, openCliDatabase } from './database';

export const AUDIT_USAGE = `  audit verify               walk the hash-chained audit log; names the first event where
                             the chain breaks (exit 1), or reports it intact (exit 0)
`;

/** `audit verify`: 0 when the chain is intact, 1 when it breaks (or cannot be read). */
export async function auditCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command] = argv;
  if (command !== 'verify') {
    console.error(`usage: npm run tinbao -- audit verify\n${AUDIT_USAGE}`);
    return 2;
  }
  let database: Database;
  try {
    database = await openCliDatabase(env);
  } catch (error) {
    if (!(error instanceof CliDatabaseError)) throw error;
    console.error(`tinbao audit: ${error.message}`);
    return 1;
  }
  try {
    const started = performance.now();
    console.error('verifying the audit chain…');
    const result = await verifyAuditChain(database.db, (checked) =>
      console.error(`  ${checked} events checked`),
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (result.ok) {
      console.log(`audit chain intact: ${result.events} events verified in ${seconds} s`);
      return 0;
    }
    const { seq, id, reason } = result.brokenAt;
    console.log(
      `audit chain BROKEN at event seq ${seq}${id ? ` (id ${id})` : ''}: ${reason}; ${result.events} events before it verified`,
    );
    return 1;
  } finally {
    await database.close();
  }
}
