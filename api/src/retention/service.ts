import type {
  HeldTip,
  LegalHold,
  RetentionPolicy,
  RetentionPreviewResponse,
  TipRetentionResponse,
} from '@tinbao/shared/api/retention';
import { can } from '@tinbao/shared/permissions/index';
import { appendAuditEvent } from '../audit/audit-log';
import type { Db } from '../platform/db';
import { conflict, forbidden } from '../platform/errors';
import { type Actor, loadVisibleTip } from '../tips/access';
import { purgeAtOf, purgeReasonOf } from './policy';
import { countDue, countHeld, type HeldRow, holdOf, listHeld, nextToPurge, setHold } from './repository';

export interface RetentionDeps {
  db: Db;
  policy: RetentionPolicy;
  now?: () => Date;
}

const nowOf = (deps: Pick<RetentionDeps, 'now'>) => deps.now?.() ?? new Date();
const iso = (date: Date | null) => (date ? date.toISOString() : null);

function presentHold(row: {
  legalHoldAt: Date | null;
  legalHoldBy: string | null;
  legalHoldReason: string | null;
  placedByName: string | null;
}): LegalHold | null {
  if (!row.legalHoldAt || !row.legalHoldBy || row.legalHoldReason === null) return null;
  return {
    placedAt: row.legalHoldAt.toISOString(),
    placedBy: row.legalHoldBy,
    placedByName: row.placedByName,
    reason: row.legalHoldReason,
  };
}

/** What the next purge run deletes (per reason), the number held, and the next tips with their purge date. */
export async function retentionPreview(
  deps: RetentionDeps,
  limit: number,
): Promise<RetentionPreviewResponse> {
  const now = nowOf(deps);
  const [due, held, next] = await Promise.all([
    countDue(deps.db, deps.policy, now),
    countHeld(deps.db),
    nextToPurge(deps.db, deps.policy, limit),
  ]);
  return {
    ok: true,
    now: now.toISOString(),
    policy: deps.policy,
    due,
    held,
    next: next.map((row) => ({
      tipId: row.id,
      receiptCode: row.receiptCode,
      status: row.status,
      reason: purgeReasonOf(row)!,
      closedAt: row.closedAt!.toISOString(),
      purgeAt: purgeAtOf(row, deps.policy)!.toISOString(),
    })),
  };
}

export async function listLegalHolds(deps: RetentionDeps): Promise<HeldTip[]> {
  const rows = await listHeld(deps.db);
  return rows.map((row: HeldRow) => ({
    tipId: row.id,
    receiptCode: row.receiptCode,
    status: row.status,
    closedAt: iso(row.closedAt),
    purgeAt: iso(purgeAtOf(row, deps.policy)),
    hold: presentHold(row)!,
  }));
}

/** One tip's retention state; it answers for a purged tip too (that is what remains of it). */
export async function tipRetention(
  deps: RetentionDeps,
  actor: Actor,
  tipId: string,
): Promise<TipRetentionResponse> {
  const tip = await loadVisibleTip(deps.db, actor, tipId, { purged: 'allow' });
  const hold = await holdOf(deps.db, tipId);
  return {
    ok: true,
    tipId,
    closedAt: iso(tip.closedAt),
    reason: purgeReasonOf(tip),
    purgeAt: iso(purgeAtOf(tip, deps.policy)),
    purgedAt: iso(tip.purgedAt),
    legalHold: hold ? presentHold(hold) : null,
  };
}

/**
 * Places a legal hold: the purge never touches the tip while it lasts. Any tip not purged yet
 * (an open one too, so it is kept once closed). The reason stays on the tip, not in the audit
 * event: a case reference may name people, and the audit log is kept for ever.
 */
export async function placeLegalHold(
  deps: RetentionDeps,
  actor: Actor,
  tipId: string,
  reason: string,
): Promise<TipRetentionResponse> {
  if (!can(actor, 'retention.manage')) throw forbidden('only an administrator places a legal hold');
  await deps.db.transaction(async (tx) => {
    // Locked: a purge batch holding this tip commits first (then this answers 410 tip_purged).
    const tip = await loadVisibleTip(tx, actor, tipId, { forUpdate: true });
    if (tip.legalHoldAt) {
      throw conflict(
        'legal_hold_exists',
        `the tip is already under a legal hold since ${tip.legalHoldAt.toISOString()}; release it first to change the reason`,
      );
    }
    await setHold(tx, tipId, { at: nowOf(deps), by: actor.userId, reason });
    await appendAuditEvent(tx, {
      actorType: 'user',
      actorId: actor.userId,
      action: 'tip.legal_hold_placed',
      subjectType: 'tip',
      subjectId: tipId,
      details: { role: actor.role },
    });
  });
  return tipRetention(deps, actor, tipId);
}

/** Releases a legal hold: the tip is purged at the next run once its time has come. */
export async function releaseLegalHold(
  deps: RetentionDeps,
  actor: Actor,
  tipId: string,
): Promise<TipRetentionResponse> {
  if (!can(actor, 'retention.manage')) throw forbidden('only an administrator releases a legal hold');
  await deps.db.transaction(async (tx) => {
    const tip = await loadVisibleTip(tx, actor, tipId, { forUpdate: true });
    if (!tip.legalHoldAt) throw conflict('no_legal_hold', 'the tip is not under a legal hold');
    await setHold(tx, tipId, null);
    await appendAuditEvent(tx, {
      actorType: 'user',
      actorId: actor.userId,
      action: 'tip.legal_hold_released',
      subjectType: 'tip',
      subjectId: tipId,
      details: { role: actor.role, heldSince: tip.legalHoldAt.toISOString() },
    });
  });
  return tipRetention(deps, actor, tipId);
}
