import type { TipStatus } from '@tinbao/shared';
import type { PurgeReason, RetentionPolicy } from '@tinbao/shared/api/retention';
import { CLOSED_STATUSES, isClosedStatus } from '@tinbao/shared/permissions/index';
import { and, isNotNull, isNull, lte, type SQL, sql } from 'drizzle-orm';
import { inList } from '../platform/columns';
import { tips } from '../platform/schema';

export const DAY_MS = 24 * 3600 * 1000;

interface RetentionFields {
  status: TipStatus;
  statusReason: string | null;
  duplicateOf: string | null;
  closedAt: Date | null;
}

/**
 * Why a tip that left the workflow is purged, from its clear columns. A rejected or duplicate
 * tip that was then closed keeps its reject reason or its original, so it keeps the shorter time.
 */
export function purgeReasonOf(tip: Omit<RetentionFields, 'closedAt'>): PurgeReason | null {
  if (!isClosedStatus(tip.status)) return null;
  if (tip.status === 'duplicate' || tip.duplicateOf) return 'duplicate';
  if (tip.status === 'rejected' || tip.statusReason) return 'rejected';
  return 'closed';
}

export const retentionDaysOf = (reason: PurgeReason, policy: RetentionPolicy) =>
  reason === 'closed' ? policy.closedDays : policy.rejectedDays;

/** When the purge deletes the tip's content (null while the tip is open). */
export function purgeAtOf(tip: RetentionFields, policy: RetentionPolicy): Date | null {
  const reason = purgeReasonOf(tip);
  if (!reason || !tip.closedAt) return null;
  return new Date(tip.closedAt.getTime() + retentionDaysOf(reason, policy) * DAY_MS);
}

/** purgeReasonOf in SQL. */
export const purgeReasonSql = sql<PurgeReason>`CASE
  WHEN ${tips.status} = 'duplicate' OR ${tips.duplicateOf} IS NOT NULL THEN 'duplicate'
  WHEN ${tips.status} = 'rejected' OR ${tips.statusReason} IS NOT NULL THEN 'rejected'
  ELSE 'closed' END`;

const retentionDaysSql = (policy: RetentionPolicy) =>
  sql`CASE WHEN ${purgeReasonSql} = 'closed' THEN ${policy.closedDays}::int ELSE ${policy.rejectedDays}::int END`;

/** purgeAtOf in SQL, for ordering. */
export const purgeAtSql = (policy: RetentionPolicy) =>
  sql`(${tips.closedAt} + make_interval(days => ${retentionDaysSql(policy)}))`;

/** Tips the purge may ever reach: out of the workflow, not purged yet, not held. */
export function purgeableCondition(): SQL {
  return and(
    isNull(tips.purgedAt),
    isNull(tips.legalHoldAt),
    isNotNull(tips.closedAt),
    inList(tips.status, CLOSED_STATUSES),
  )!;
}

/** Purgeable tips whose time has come at `now`. */
export function dueCondition(policy: RetentionPolicy, now: Date): SQL {
  const closedCutoff = new Date(now.getTime() - policy.closedDays * DAY_MS);
  const shortCutoff = new Date(now.getTime() - policy.rejectedDays * DAY_MS);
  const latest = closedCutoff > shortCutoff ? closedCutoff : shortCutoff;
  return and(
    purgeableCondition(),
    // The later cutoff bounds the scan of tips_retention_idx; the CASE picks each tip's own.
    lte(tips.closedAt, latest),
    sql`${tips.closedAt} <= CASE WHEN ${purgeReasonSql} = 'closed'
      THEN ${closedCutoff.toISOString()}::timestamptz ELSE ${shortCutoff.toISOString()}::timestamptz END`,
  )!;
}
