import { createHash, randomUUID } from 'node:crypto';
import type { AuditActorType } from '@tinbao/shared/api/tips';
import type { Actor } from '@tinbao/shared/permissions/index';
import { asc, desc, gt, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../platform/db';
import { auditEvents } from '../platform/schema';

export const GENESIS_HASH = '0'.repeat(64);
// Any fixed number: one writer at a time extends the chain, on every engine.
const AUDIT_CHAIN_LOCK = 72_430_002;

export interface AuditEventInput {
  actorType: AuditActorType;
  actorId?: string | null;
  action: string;
  subjectType?: string | null;
  subjectId?: string | null;
  /** Ids, codes and counts only: never tip content or personal data. */
  details?: Record<string, unknown>;
}

type AuditRow = typeof auditEvents.$inferSelect;

/** Who made a change: a staff member (the one Actor type), or the operator at the command line. */
export type ChangedBy = Actor | 'cli';

/** The audit log's actor columns for whoever made a change. */
export function auditActorOf(by: ChangedBy): Pick<AuditEventInput, 'actorType' | 'actorId'> {
  return by === 'cli' ? { actorType: 'system', actorId: 'cli' } : { actorType: 'user', actorId: by.userId };
}

/** JSON with object keys sorted, so jsonb's key reordering cannot change a hash. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function hashAuditEvent(event: Omit<AuditRow, 'hash'>): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        seq: event.seq,
        id: event.id,
        occurredAt: event.occurredAt.toISOString(),
        actorType: event.actorType,
        actorId: event.actorId,
        action: event.action,
        subjectType: event.subjectType,
        subjectId: event.subjectId,
        details: event.details,
        prevHash: event.prevHash,
      }),
    )
    .digest('hex');
}

/**
 * Appends one event to the chain. Call it inside the transaction that makes the change it
 * records, so the change and its audit event commit together or not at all.
 */
export async function appendAuditEvent(tx: DbOrTx, input: AuditEventInput): Promise<AuditRow> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [last] = await tx
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  const event = {
    seq: (last?.seq ?? 0) + 1,
    id: randomUUID(),
    occurredAt: new Date(),
    actorType: input.actorType,
    actorId: input.actorId ?? null,
    action: input.action,
    subjectType: input.subjectType ?? null,
    subjectId: input.subjectId ?? null,
    details: input.details ?? {},
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const row = { ...event, hash: hashAuditEvent(event) };
  await tx.insert(auditEvents).values(row);
  return row;
}

export type AuditVerification =
  | { ok: true; events: number }
  | { ok: false; events: number; brokenAt: { seq: number; id: string | null; reason: string } };

/** Walks the whole chain in order; names the first event where it breaks. */
export async function verifyAuditChain(
  db: Db,
  onProgress?: (checked: number) => void,
): Promise<AuditVerification> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const page = await db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.seq, expectedSeq - 1))
      .orderBy(asc(auditEvents.seq))
      .limit(5000);
    if (page.length === 0) return { ok: true, events: checked };
    for (const row of page) {
      if (row.seq !== expectedSeq) {
        return {
          ok: false,
          events: checked,
          brokenAt: {
            seq: expectedSeq,
            id: null,
            reason: `event ${expectedSeq} is missing (next is ${row.seq})`,
          },
        };
      }
      if (row.prevHash !== prevHash) {
        return {
          ok: false,
          events: checked,
          brokenAt: { seq: row.seq, id: row.id, reason: 'its prev_hash does not match the event before it' },
        };
      }
      const { hash, ...rest } = row;
      if (hashAuditEvent(rest) !== hash) {
        return {
          ok: false,
          events: checked,
          brokenAt: { seq: row.seq, id: row.id, reason: 'its content does not match its hash' },
        };
      }
      prevHash = hash;
      expectedSeq++;
      checked++;
    }
    onProgress?.(checked);
  }
}
