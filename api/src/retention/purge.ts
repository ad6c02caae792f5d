import { randomUUID } from 'node:crypto';
import type { Logger } from '@tinbao/shared';
import type { PurgeCounts, RetentionPolicy } from '@tinbao/shared/api/retention';
import { appendAuditEvent, auditActorOf } from '../audit/audit-log';
import type { Db } from '../platform/db';
import { purgeReasonOf, retentionDaysOf } from './policy';
import type { PurgeStep } from './purge-steps';
import { countDue, lockDueBatch, markPurged } from './repository';
import { PURGE_STEPS } from './steps';

export const DEFAULT_PURGE_BATCH_SIZE = 100;

export interface PurgeDeps {
  db: Db;
  policy: RetentionPolicy;
  /** The clock (tests move it instead of waiting a year). */
  now?: () => Date;
  /** Default: every feature's steps (PURGE_STEPS). */
  steps?: readonly PurgeStep[];
  logger?: Logger;
}

export interface PurgeProgress {
  purged: number;
  /** Due when the run started (the run purges no tip that becomes due after). */
  total: number;
}

export interface PurgeOptions {
  /** Who runs it, for the audit log: the daily job or an operator at the command line. */
  by: 'scheduler' | 'cli';
  batchSize?: number;
  /** Count what is due, change nothing. */
  dryRun?: boolean;
  onProgress?(progress: PurgeProgress): void;
  /** Called after each committed batch: tests interrupt a run here, as a crash would. */
  afterBatch?(progress: PurgeProgress): void | Promise<void>;
}

export interface PurgeResult {
  runId: string;
  dryRun: boolean;
  /** When the run counted what was due. */
  now: Date;
  due: PurgeCounts;
  purged: number;
  batches: number;
  /** Rows each step deleted or emptied, by step name. */
  rows: Record<string, number>;
}

/**
 * Purges the content of every tip due at `now`, in batches of one transaction each: the
 * features' steps, then the tip row (envelope, photos, reply token) and one `tip.purged` audit
 * event per tip, committed together. Idempotent: a purged tip is never selected again, so a
 * second run purges nothing and a run that stopped half-way (crash, error) resumes where the
 * last committed batch ended. A held tip is never selected, and the database refuses to mark
 * one purged (tips_purged_not_held_check). The run ends with one `retention.purged` event when
 * it purged anything.
 */
export async function purgeDueTips(deps: PurgeDeps, options: PurgeOptions): Promise<PurgeResult> {
  const now = deps.now?.() ?? new Date();
  const steps = deps.steps ?? PURGE_STEPS;
  const batchSize = options.batchSize ?? DEFAULT_PURGE_BATCH_SIZE;
  const runId = randomUUID();
  const actor =
    options.by === 'cli' ? auditActorOf('cli') : { actorType: 'system' as const, actorId: 'retention' };
  const due = await countDue(deps.db, deps.policy, now);
  const rows: Record<string, number> = Object.fromEntries(steps.map((step) => [step.name, 0]));
  const result: PurgeResult = {
    runId,
    dryRun: options.dryRun === true,
    now,
    due,
    purged: 0,
    batches: 0,
    rows,
  };
  options.onProgress?.({ purged: 0, total: due.total });
  if (options.dryRun || due.total === 0) return result;

  for (;;) {
    const purgedNow = await deps.db.transaction(async (tx) => {
      const batch = await lockDueBatch(tx, deps.policy, now, batchSize);
      if (batch.length === 0) return 0;
      const ids = batch.map((tip) => tip.id);
      for (const step of steps) rows[step.name] = (rows[step.name] ?? 0) + (await step.purge(tx, ids));
      const marked = await markPurged(tx, ids, now);
      // Locked rows cannot have changed; if they did, purge nothing of this batch.
      if (marked.length !== ids.length)
        throw new Error(
          `retention purge: ${ids.length - marked.length} locked tips could not be marked purged`,
        );
      for (const tip of batch) {
        const reason = purgeReasonOf(tip)!;
        await appendAuditEvent(tx, {
          ...actor,
          action: 'tip.purged',
          subjectType: 'tip',
          subjectId: tip.id,
          details: {
            runId,
            reason,
            closedAt: tip.closedAt?.toISOString() ?? null,
            retentionDays: retentionDaysOf(reason, deps.policy),
          },
        });
      }
      return batch.length;
    });
    if (purgedNow === 0) break;
    result.purged += purgedNow;
    result.batches++;
    const progress = { purged: result.purged, total: due.total };
    deps.logger?.info({ runId, ...progress }, 'retention purge: batch committed');
    options.onProgress?.(progress);
    await options.afterBatch?.(progress);
  }

  if (result.purged > 0) {
    await deps.db.transaction((tx) =>
      appendAuditEvent(tx, {
        ...actor,
        action: 'retention.purged',
        subjectType: 'retention',
        subjectId: runId,
        details: {
          purged: result.purged,
          batches: result.batches,
          rows,
          closedDays: deps.policy.closedDays,
          rejectedDays: deps.policy.rejectedDays,
          asOf: now.toISOString(),
        },
      }),
    );
  }
  return result;
}
