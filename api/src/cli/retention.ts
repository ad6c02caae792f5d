import { parseArgs } from 'node:util';
import { parseConfig } from '@tinbao/shared';
import type { PurgeCounts, RetentionPolicy } from '@tinbao/shared/api/retention';
import type { Database } from '../platform/db';
import { RetentionConfigSchema, retentionPolicyOf } from '../retention/config';
import { DEFAULT_PURGE_BATCH_SIZE, type PurgeProgress, purgeDueTips } from '../retention/purge';
import { retentionPreview } from '../retention/service';
import { CliDatabaseError, openCliDatabase } from './database';

export const RETENTION_USAGE = `  retention preview [--limit <n>]
                             what the next purge deletes (per reason), the tips under a legal
                             hold, and the next <n> tips (default 20) with their purge date
  retention purge [--dry-run] [--batch-size <n>]
                             purge the content of every tip due now, <n> tips per transaction
                             (default ${DEFAULT_PURGE_BATCH_SIZE}), showing progress; audited; run it again after a
                             failure to resume. --dry-run counts and changes nothing
                             policy: TINBAO_RETENTION_CLOSED_DAYS (365), TINBAO_RETENTION_REJECTED_DAYS (90)
`;

const usage = () => console.error(`usage: npm run tinbao -- retention preview|purge\n${RETENTION_USAGE}`);

const describeCounts = (counts: PurgeCounts) =>
  `closed ${counts.closed}, rejected ${counts.rejected}, duplicate ${counts.duplicate}`;

const describePolicy = (policy: RetentionPolicy) =>
  `closed tips ${policy.closedDays} days after closing, rejected and duplicate tips ${policy.rejectedDays} days after`;

const day = (iso: string) => iso.slice(0, 10);

/** A whole number within bounds, or undefined (the caller names the option). */
function boundedInteger(value: string | undefined, min: number, max: number): number | undefined | null {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) return null;
  const number = Number(value);
  return number >= min && number <= max ? number : null;
}

/** `retention preview|purge`: 0 done, 1 could not (configuration, database, a failed purge), 2 usage. */
export async function retentionCommand(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'preview' && command !== 'purge') {
    usage();
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options:
      command === 'purge'
        ? { 'dry-run': { type: 'boolean' }, 'batch-size': { type: 'string' } }
        : { limit: { type: 'string' } },
  });
  const limit = boundedInteger(values.limit as string | undefined, 1, 1000);
  const batchSize = boundedInteger(values['batch-size'] as string | undefined, 1, 10_000);
  if (limit === null || batchSize === null) {
    console.error(
      `tinbao retention: ${limit === null ? '--limit must be a whole number from 1 to 1000' : '--batch-size must be a whole number from 1 to 10000'}`,
    );
    return 2;
  }
  const parsed = parseConfig(RetentionConfigSchema, env);
  if (!parsed.ok) {
    for (const problem of parsed.problems) console.error(`tinbao retention: configuration error: ${problem}`);
    return 1;
  }
  const policy = retentionPolicyOf(parsed.config);

  let database: Database;
  try {
    database = await openCliDatabase(env);
  } catch (error) {
    if (!(error instanceof CliDatabaseError)) throw error;
    console.error(`tinbao retention: ${error.message}`);
    return 1;
  }
  try {
    if (command === 'preview') return await preview(database, policy, limit ?? 20);
    return await purge(database, policy, {
      dryRun: values['dry-run'] === true,
      batchSize: batchSize ?? DEFAULT_PURGE_BATCH_SIZE,
    });
  } finally {
    await database.close();
  }
}

async function preview(database: Database, policy: RetentionPolicy, limit: number): Promise<number> {
  const result = await retentionPreview({ db: database.db, policy }, limit);
  console.log(`retention: ${describePolicy(policy)}`);
  console.log(
    `due now (the next purge deletes their content): ${result.due.total} — ${describeCounts(result.due)}`,
  );
  console.log(`under a legal hold (never purged): ${result.held}`);
  if (result.next.length === 0) {
    console.log('no tip is waiting to be purged');
    return 0;
  }
  console.log(`next to purge (up to ${limit}):`);
  for (const tip of result.next) {
    const due = tip.purgeAt <= result.now ? '  due now' : '';
    console.log(
      `  ${tip.receiptCode}  ${tip.reason.padEnd(9)}  closed ${day(tip.closedAt)}  purge ${day(tip.purgeAt)}${due}`,
    );
  }
  return 0;
}

async function purge(
  database: Database,
  policy: RetentionPolicy,
  options: { dryRun: boolean; batchSize: number },
): Promise<number> {
  let progress: PurgeProgress = { purged: 0, total: 0 };
  const started = performance.now();
  try {
    const result = await purgeDueTips(
      { db: database.db, policy },
      {
        by: 'cli',
        dryRun: options.dryRun,
        batchSize: options.batchSize,
        onProgress: (now) => {
          progress = now;
          if (options.dryRun || now.total === 0) return;
          if (now.purged === 0) console.error(`purging ${now.total} tips, ${options.batchSize} per batch…`);
          else console.error(`  ${now.purged}/${now.total} tips purged`);
        },
      },
    );
    if (options.dryRun) {
      console.log(
        `dry run: ${result.due.total} tips would be purged now (${describeCounts(result.due)}); nothing was changed`,
      );
      return 0;
    }
    if (result.due.total === 0) {
      console.log(`nothing to purge: no tip is due (${describePolicy(policy)})`);
      return 0;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `purged ${result.purged} of ${result.due.total} due tips (${describeCounts(result.due)}) in ${result.batches} batches, ${seconds} s; ` +
        `one tip.purged audit event each, run ${result.runId}`,
    );
    return 0;
  } catch (error) {
    console.error(
      `tinbao retention: the purge stopped after ${progress.purged}/${progress.total} tips: ${(error as Error).message}. ` +
        'The tips purged so far stay purged; run the command again to purge the rest.',
    );
    return 1;
  }
}
