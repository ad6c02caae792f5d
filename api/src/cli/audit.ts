import { databaseUrlVariable } from '@tinbao/shared';
import { verifyAuditChain } from '../audit/audit-log';
import { type Database, DatabaseLockedError, openDatabase } from '../platform/db';

export const AUDIT_USAGE = `  audit verify               walk the hash-chained audit log; names the first event where
                             the chain breaks (exit 1), or reports it intact (exit 0)
`;

/** The same database the api uses: DATABASE_URL, or PGlite under DATA_DIR/pglite. */
async function openAuditDatabase(): Promise<Database | string> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const parsed = databaseUrlVariable.safeParse(url);
    if (!parsed.success) return `DATABASE_URL ${parsed.error.issues[0]?.message}`;
    return openDatabase({ engine: 'postgres', url: parsed.data, poolSize: 2 });
  }
  const dataDir = `${process.env.DATA_DIR || './data'}/pglite`;
  try {
    return await openDatabase({ engine: 'pglite', dataDir });
  } catch (error) {
    if (error instanceof DatabaseLockedError) {
      return `the embedded database (${dataDir}) is open in the running api (PGlite allows one process): stop TinBao first, or use DATABASE_URL`;
    }
    throw error;
  }
}

/** `audit verify`: 0 when the chain is intact, 1 when it breaks (or cannot be read). */
export async function auditCommand(argv: string[]): Promise<number> {
  const [command] = argv;
  if (command !== 'verify') {
    console.error(`usage: npm run tinbao -- audit verify\n${AUDIT_USAGE}`);
    return 2;
  }
  const database = await openAuditDatabase();
  if (typeof database === 'string') {
    console.error(`tinbao audit: ${database}`);
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
