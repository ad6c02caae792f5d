import {
  DEFAULT_JOB_OPTIONS,
  JOB_NAMES,
  type KeyPair,
  type Logger,
  type NotifyUnitJob,
  openJson,
  sealJson,
  type TipContent,
  TipContentSchema,
  type TipStatus,
  TipStatusSchema,
} from '@tinbao/shared';
import {
  type DeadlineExtension,
  type DeadlineExtensionCreate,
  type TipAction,
  type TipCountsResponse,
  type TipDetailResponse,
  type TipListQuery,
  type TipListResponse,
  type TipNote,
  TipSortSchema,
  type TipSummary,
  type TipTransitionRequest,
  type TipTransitionResponse,
} from '@tinbao/shared/api/tips';
import type { Queue } from 'bullmq';
import {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  gt,
  gte,
  inArray,
  lt,
  notInArray,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import { z } from 'zod';
import { appendAuditEvent } from '../audit/audit-log';
import type { Db, DbOrTx, Tx } from '../platform/db';
import { AppError, badRequest, conflict, forbidden, notFound } from '../platform/errors';
import { tipDeadlineExtensions, tipNotes, tipRoutes, tips, units, users } from '../platform/schema';
import { type Actor, loadVisibleTip, routedToUnit, visibilityCondition } from './access';
import { presentTipSummaries, type SummaryRow } from './presenter';
import type { TipRow } from './repository';
import { ACTION_ROLES, actionsFor, nextStatus, OPEN_STATUSES } from './state-machine';

export interface TipsDeps {
  db: Db;
  orgKeys: KeyPair;
  notifyQueue: Pick<Queue<NotifyUnitJob>, 'add'>;
  logger: Logger;
  /** The clock (tests move it). */
  now?: () => Date;
}

const nowOf = (deps: TipsDeps) => deps.now?.() ?? new Date();
const DAY_MS = 24 * 3600 * 1000;
const SHORT_PERIOD_MS = 92 * DAY_MS;

// ---------------------------------------------------------------- list and counts

const CursorSchema = z.tuple([TipSortSchema, z.number().int(), z.iso.datetime(), z.uuid()]);

export function encodeCursor(sort: TipListQuery['sort'], row: SummaryRow): string {
  const time = sort === 'received' ? row.receivedAt : row.deadlineAt;
  return Buffer.from(JSON.stringify([sort, row.priority, time.toISOString(), row.id])).toString('base64url');
}

function decodeCursor(cursor: string, sort: TipListQuery['sort']): z.infer<typeof CursorSchema> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('cursor is not valid: use nextCursor from the previous page');
  }
  const parsed = CursorSchema.safeParse(value);
  if (!parsed.success || parsed.data[0] !== sort) {
    throw badRequest('cursor is not valid: use nextCursor from the previous page with the same sort');
  }
  return parsed.data;
}

// The queue never reads the envelope: it can hold megabytes of photos.
const { envelope: _envelope, replyToken: _replyToken, ...CLEAR_COLUMNS } = getTableColumns(tips);
const SUMMARY_COLUMNS = { ...CLEAR_COLUMNS, hasReplyToken: sql<boolean>`${tips.replyToken} IS NOT NULL` };

/** Filters shared by the list and the counts. */
function filterConditions(actor: Actor, query: Partial<TipListQuery>, now: Date): SQL[] {
  const conditions: (SQL | undefined)[] = [visibilityCondition(actor)];
  if (query.status?.length) conditions.push(inArray(tips.status, query.status));
  if (query.category?.length) conditions.push(inArray(tips.category, query.category));
  if (query.provinceCode) conditions.push(eq(tips.provinceCode, query.provinceCode));
  if (query.communeCode) conditions.push(eq(tips.communeCode, query.communeCode));
  if (query.unitId) conditions.push(routedToUnit(query.unitId));
  if (query.receiptCode) conditions.push(eq(tips.receiptCode, query.receiptCode));
  if (query.from) conditions.push(gte(tips.receivedAt, new Date(query.from)));
  if (query.to) conditions.push(lt(tips.receivedAt, new Date(query.to)));
  if (query.priority !== undefined) conditions.push(eq(tips.priority, query.priority));
  if (query.overdue === true) conditions.push(overdueCondition(now));
  if (query.overdue === false) {
    conditions.push(or(notInArray(tips.status, [...OPEN_STATUSES]), gte(tips.deadlineAt, now)));
  }
  return conditions.filter((c): c is SQL => c !== undefined);
}

function overdueCondition(now: Date): SQL {
  return and(inArray(tips.status, [...OPEN_STATUSES]), lt(tips.deadlineAt, now))!;
}

/** The queue's one SQL query (exported so the benchmark can EXPLAIN exactly what runs). */
export function tipListQuery(db: Db, actor: Actor, query: TipListQuery, now: Date) {
  const conditions = filterConditions(actor, query, now);
  if (query.from && query.to && new Date(query.from) >= new Date(query.to))
    throw badRequest('from must be before to');
  if (query.cursor) {
    const [, priority, time, id] = decodeCursor(query.cursor, query.sort);
    const at = new Date(time);
    if (query.sort === 'priority') {
      conditions.push(
        or(
          lt(tips.priority, priority),
          and(
            eq(tips.priority, priority),
            or(gt(tips.deadlineAt, at), and(eq(tips.deadlineAt, at), gt(tips.id, id))),
          ),
        )!,
      );
    } else if (query.sort === 'deadline') {
      conditions.push(or(gt(tips.deadlineAt, at), and(eq(tips.deadlineAt, at), gt(tips.id, id)))!);
    } else {
      conditions.push(or(lt(tips.receivedAt, at), and(eq(tips.receivedAt, at), lt(tips.id, id)))!);
    }
  }
  // NULLS LAST like the indexes (the column is NOT NULL, but the planner matches the clause).
  const priorityDesc = sql`${tips.priority} DESC NULLS LAST`;
  // Deadlines follow receipt times, so for a short period an ordered index scan walks past
  // every older tip first (60 ms at 200k tips). Sorting by an expression makes the planner
  // take the period's index and sort the few rows found instead.
  const shortPeriod =
    query.from !== undefined &&
    (query.to ? new Date(query.to) : now).getTime() - new Date(query.from).getTime() <= SHORT_PERIOD_MS;
  const deadlineAsc = shortPeriod
    ? sql`(${tips.deadlineAt} + interval '0 seconds') ASC`
    : asc(tips.deadlineAt);
  const order =
    query.sort === 'priority'
      ? [shortPeriod ? sql`(${tips.priority} + 0) DESC` : priorityDesc, deadlineAsc, asc(tips.id)]
      : query.sort === 'deadline'
        ? [deadlineAsc, asc(tips.id)]
        : [desc(tips.receivedAt), desc(tips.id)];
  return db
    .select(SUMMARY_COLUMNS)
    .from(tips)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(query.limit + 1);
}

/** The moderators' queue (and a unit's inbox): filtered, sorted, keyset-paginated. */
export async function listTips(deps: TipsDeps, actor: Actor, query: TipListQuery): Promise<TipListResponse> {
  const now = nowOf(deps);
  const rows = await tipListQuery(deps.db, actor, query, now);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    ok: true,
    items: await presentTipSummaries(deps.db, page, now),
    nextCursor: rows.length > query.limit && last ? encodeCursor(query.sort, last) : null,
  };
}

/** Counts per status for the queue tabs, with the same scoping as the list. */
export async function countTips(
  deps: TipsDeps,
  actor: Actor,
  query: { provinceCode?: string | undefined; communeCode?: string | undefined; unitId?: string | undefined },
): Promise<TipCountsResponse> {
  const now = nowOf(deps);
  const conditions = filterConditions(actor, query, now);
  const [rows, [overdue]] = await Promise.all([
    deps.db
      .select({ status: tips.status, n: count() })
      .from(tips)
      .where(and(...conditions))
      .groupBy(tips.status),
    deps.db
      .select({ n: count() })
      .from(tips)
      .where(and(...conditions, overdueCondition(now))),
  ]);
  const byStatus = Object.fromEntries(TipStatusSchema.options.map((status) => [status, 0])) as Record<
    TipStatus,
    number
  >;
  for (const row of rows) byStatus[row.status as TipStatus] = row.n;
  return {
    ok: true,
    byStatus,
    overdue: overdue?.n ?? 0,
    total: rows.reduce((sum, row) => sum + row.n, 0),
  };
}

// ---------------------------------------------------------------- detail and photos (decryption)

async function openTipContent(orgKeys: KeyPair, envelope: Uint8Array): Promise<TipContent> {
  try {
    return TipContentSchema.parse(await openJson(envelope, orgKeys));
  } catch {
    throw new AppError(500, 'decryption_failed', 'the tip could not be decrypted with the organisation key');
  }
}

/** Audits the decryption first, in its own transaction: no content leaves without its event. */
async function auditedVisibleTip(
  deps: TipsDeps,
  actor: Actor,
  tipId: string,
  action: string,
  details: Record<string, unknown> = {},
): Promise<TipRow> {
  return deps.db.transaction(async (tx) => {
    const row = await loadVisibleTip(tx, actor, tipId);
    await appendAuditEvent(tx, {
      actorType: 'user',
      actorId: actor.userId,
      action,
      subjectType: 'tip',
      subjectId: tipId,
      details: { role: actor.role, ...details },
    });
    return row;
  });
}

type RouteState = { unitId: string; acknowledgedAt: Date | string | null; outcome: string | null };

/**
 * The actions this actor may take now: the transition map for the role, narrowed by the
 * routes (an officer acknowledges once and reports once, for their own unit only).
 */
function allowedActionsOf(actor: Actor, row: TipRow, routes: RouteState[]): TipAction[] {
  const mine = actor.role === 'unit_officer' ? routes.filter((r) => r.unitId === actor.unitId) : routes;
  return actionsFor(actor.role, row.status as TipStatus).filter((action) => {
    if (action === 'acknowledge') return mine.some((r) => !r.acknowledgedAt);
    if (action === 'report_outcome') return mine.some((r) => r.acknowledgedAt && !r.outcome);
    return true;
  });
}

async function allowedActionsNow(db: DbOrTx, actor: Actor, row: TipRow): Promise<TipAction[]> {
  const routes = await db
    .select({
      unitId: tipRoutes.unitId,
      acknowledgedAt: tipRoutes.acknowledgedAt,
      outcome: tipRoutes.outcome,
    })
    .from(tipRoutes)
    .where(eq(tipRoutes.tipId, row.id));
  return allowedActionsOf(actor, row, routes);
}

export async function getTipDetail(deps: TipsDeps, actor: Actor, tipId: string): Promise<TipDetailResponse> {
  const row = await auditedVisibleTip(deps, actor, tipId, 'tip.decrypted');
  const content = await openTipContent(deps.orgKeys, row.envelope);
  const now = nowOf(deps);
  const [[summary], extensions, duplicates] = await Promise.all([
    presentTipSummaries(deps.db, [row], now),
    listDeadlineExtensions(deps.db, tipId),
    deps.db
      .select({ id: tips.id })
      .from(tips)
      .where(and(eq(tips.duplicateOf, tipId), visibilityCondition(actor)))
      .orderBy(asc(tips.receivedAt)),
  ]);
  return {
    ok: true,
    tip: summary!,
    content: {
      description: content.description,
      location: content.location ?? null,
      photos: content.photos.map((photo, index) => ({
        index,
        mimeType: photo.mimeType,
        width: photo.width,
        height: photo.height,
        url: `/api/v1/tips/${tipId}/photos/${index}`,
      })),
      followUpConsent: content.followUpConsent,
      reporterPseudonym: content.reporterPseudonym,
    },
    deadlineExtensions: extensions,
    duplicates: duplicates.map((d) => d.id),
    allowedActions: allowedActionsOf(actor, row, summary!.routes),
  };
}

export async function getTipPhoto(
  deps: TipsDeps,
  actor: Actor,
  tipId: string,
  index: number,
): Promise<{ mimeType: string; data: Buffer }> {
  const row = await auditedVisibleTip(deps, actor, tipId, 'tip.photo_decrypted', { index });
  const content = await openTipContent(deps.orgKeys, row.envelope);
  const photo = content.photos[index];
  if (!photo) throw notFound('photo');
  return { mimeType: photo.mimeType, data: Buffer.from(photo.dataBase64, 'base64') };
}

// ---------------------------------------------------------------- the state machine

async function illegalTransition(
  db: DbOrTx,
  actor: Actor,
  row: TipRow,
  action: TipAction,
): Promise<AppError> {
  return conflict('illegal_transition', `cannot ${action} a tip that is ${row.status}`, {
    status: row.status,
    allowed: await allowedActionsNow(db, actor, row),
  });
}

/** Answered after the change lost the race: reads the tip as the winner left it. */
async function versionConflict(db: DbOrTx, actor: Actor, tipId: string): Promise<AppError> {
  const [row] = await db.select().from(tips).where(eq(tips.id, tipId));
  return conflict('version_conflict', 'the tip was changed by someone else meanwhile; reload it', {
    ...(row ? { status: row.status, allowed: await allowedActionsNow(db, actor, row) } : { allowed: [] }),
  });
}

async function stateConflict(
  db: DbOrTx,
  actor: Actor,
  row: TipRow,
  code: string,
  message: string,
): Promise<AppError> {
  return conflict(code, message, { status: row.status, allowed: await allowedActionsNow(db, actor, row) });
}

/** Which unit an acknowledge/outcome is for: the officer's own, or the one a moderator names. */
function unitOfAction(actor: Actor, requested: string | undefined): string {
  if (actor.role === 'unit_officer') return actor.unitId!;
  if (!requested) throw badRequest('body.unitId: name the unit you act for');
  return requested;
}

async function routeOf(tx: Tx, tipId: string, unitId: string) {
  const [route] = await tx
    .select()
    .from(tipRoutes)
    .where(and(eq(tipRoutes.tipId, tipId), eq(tipRoutes.unitId, unitId)))
    .for('update');
  if (!route) throw badRequest('the tip is not routed to that unit');
  return route;
}

/**
 * Applies one workflow action: authorisation (404 before 403, so other units learn
 * nothing), the transition map (409 with the allowed actions), optimistic concurrency on
 * tips.version (two moderators at once: one wins, the other gets 409), the change and its
 * audit event in one transaction; then the notify-unit jobs for newly routed units.
 */
export async function transitionTip(
  deps: TipsDeps,
  actor: Actor,
  tipId: string,
  request: TipTransitionRequest,
): Promise<TipTransitionResponse> {
  const { action } = request;
  const now = nowOf(deps);
  const { row, routedUnits } = await deps.db.transaction(async (tx) => {
    const tip = await loadVisibleTip(tx, actor, tipId);
    if (!ACTION_ROLES[action].includes(actor.role)) {
      throw forbidden(`a ${actor.role} cannot ${action} a tip`);
    }
    const to = nextStatus(action, tip.status as TipStatus);
    if (!to) throw await illegalTransition(tx, actor, tip, action);
    if (request.version !== undefined && request.version !== tip.version)
      throw await versionConflict(tx, actor, tipId);

    const changes: Partial<typeof tips.$inferInsert> = {};
    const details: Record<string, unknown> = { from: tip.status, to, role: actor.role };
    let routedUnits: string[] = [];

    switch (request.action) {
      case 'reject':
        changes.statusReason = request.reason;
        details.reason = request.reason;
        break;
      case 'mark_duplicate': {
        const target = await tx
          .select({ id: tips.id, duplicateOf: tips.duplicateOf })
          .from(tips)
          .where(and(eq(tips.id, request.duplicateOf), visibilityCondition(actor)))
          .limit(1);
        // A tip the actor may not see (another province) answers like a missing one.
        if (!target[0]) throw badRequest('body.duplicateOf: no such tip');
        // Always point at the original, so duplicate chains stay one hop long.
        const root = target[0].duplicateOf ?? target[0].id;
        if (root === tip.id) throw badRequest('body.duplicateOf: a tip cannot be a duplicate of itself');
        changes.duplicateOf = root;
        changes.statusReason = null;
        details.duplicateOf = root;
        await tx.update(tips).set({ duplicateOf: root }).where(eq(tips.duplicateOf, tip.id));
        break;
      }
      case 'route': {
        const unitIds = [...new Set(request.unitIds)];
        const found = await tx
          .select({ id: units.id })
          .from(units)
          .where(and(inArray(units.id, unitIds), eq(units.active, true)));
        if (found.length !== unitIds.length) throw badRequest('body.unitIds: unknown or inactive unit');
        const inserted = await tx
          .insert(tipRoutes)
          .values(unitIds.map((unitId) => ({ tipId, unitId, routedAt: now, routedBy: actor.userId })))
          .onConflictDoNothing()
          .returning({ unitId: tipRoutes.unitId });
        routedUnits = inserted.map((r) => r.unitId);
        if (routedUnits.length === 0) {
          throw await stateConflict(
            tx,
            actor,
            tip,
            'already_routed',
            'the tip is already routed to these units',
          );
        }
        details.unitIds = routedUnits;
        break;
      }
      case 'acknowledge': {
        const unitId = unitOfAction(actor, request.unitId);
        const route = await routeOf(tx, tipId, unitId);
        if (route.acknowledgedAt) {
          throw await stateConflict(
            tx,
            actor,
            tip,
            'already_acknowledged',
            'this unit has already acknowledged the tip',
          );
        }
        await tx
          .update(tipRoutes)
          .set({ acknowledgedAt: now, acknowledgedBy: actor.userId })
          .where(and(eq(tipRoutes.tipId, tipId), eq(tipRoutes.unitId, unitId)));
        details.unitId = unitId;
        break;
      }
      case 'report_outcome': {
        const unitId = unitOfAction(actor, request.unitId);
        const route = await routeOf(tx, tipId, unitId);
        if (!route.acknowledgedAt || route.outcome) {
          throw await stateConflict(
            tx,
            actor,
            tip,
            route.outcome ? 'outcome_already_reported' : 'not_acknowledged',
            route.outcome
              ? 'this unit has already reported an outcome'
              : 'this unit must acknowledge the tip before reporting an outcome',
          );
        }
        await tx
          .update(tipRoutes)
          .set({
            outcome: request.outcome,
            outcomeNote: request.note
              ? await sealJson({ note: request.note }, [deps.orgKeys.publicKey])
              : null,
            outcomeAt: now,
            outcomeBy: actor.userId,
          })
          .where(and(eq(tipRoutes.tipId, tipId), eq(tipRoutes.unitId, unitId)));
        details.unitId = unitId;
        details.outcome = request.outcome;
        break;
      }
      default:
        break;
    }

    const [updated] = await tx
      .update(tips)
      .set({ ...changes, status: to, version: tip.version + 1, updatedAt: now })
      .where(and(eq(tips.id, tipId), eq(tips.version, tip.version)))
      .returning();
    if (!updated) throw await versionConflict(tx, actor, tipId);
    await appendAuditEvent(tx, {
      actorType: 'user',
      actorId: actor.userId,
      action: `tip.${action}`,
      subjectType: 'tip',
      subjectId: tipId,
      details: { ...details, version: updated.version },
    });
    return { row: updated, routedUnits };
  });

  for (const unitId of routedUnits) {
    try {
      await deps.notifyQueue.add(
        JOB_NAMES.notifyUnit,
        { tipId, unitId },
        // BullMQ job ids may not contain ':'; one notification per tip and unit.
        { ...DEFAULT_JOB_OPTIONS, jobId: `${tipId}_${unitId}` },
      );
    } catch (error) {
      // The route is committed; the unit still sees the case in its inbox.
      deps.logger.error({ tipId, unitId, err: (error as Error).message }, 'notify-unit job not added');
    }
  }
  const [summary] = await presentTipSummaries(deps.db, [row], now);
  return { ok: true, tip: summary!, allowedActions: allowedActionsOf(actor, row, summary!.routes) };
}

// ---------------------------------------------------------------- notes

export async function addTipNote(
  deps: TipsDeps,
  actor: Actor,
  tipId: string,
  body: string,
): Promise<TipNote> {
  const sealed = await sealJson({ body }, [deps.orgKeys.publicKey]);
  const note = await deps.db.transaction(async (tx) => {
    await loadVisibleTip(tx, actor, tipId);
    const [note] = await tx
      .insert(tipNotes)
      .values({ tipId, authorId: actor.userId, body: sealed, createdAt: nowOf(deps) })
      .returning();
    await appendAuditEvent(tx, {
      actorType: 'user',
      actorId: actor.userId,
      action: 'tip.note_added',
      subjectType: 'tip',
      subjectId: tipId,
      details: { noteId: note!.id, role: actor.role },
    });
    return note!;
  });
  const [author] = await deps.db
    .select({ name: users.displayName })
    .from(users)
    .where(eq(users.id, actor.userId));
  return {
    id: note.id,
    authorId: note.authorId,
    authorName: author?.name ?? null,
    createdAt: note.createdAt.toISOString(),
    body,
  };
}

/** Notes are sealed like the tip: listing them decrypts, so it is audited. */
export async function listTipNotes(deps: TipsDeps, actor: Actor, tipId: string): Promise<TipNote[]> {
  await auditedVisibleTip(deps, actor, tipId, 'tip.notes_decrypted');
  const rows = await deps.db
    .select({
      id: tipNotes.id,
      authorId: tipNotes.authorId,
      authorName: users.displayName,
      createdAt: tipNotes.createdAt,
      body: tipNotes.body,
    })
    .from(tipNotes)
    .leftJoin(users, eq(users.id, tipNotes.authorId))
    .where(eq(tipNotes.tipId, tipId))
    .orderBy(asc(tipNotes.createdAt), asc(tipNotes.id));
  const NoteSchema = z.object({ body: z.string() });
  return Promise.all(
    rows.map(async (row) => {
      let body: string;
      try {
        body = NoteSchema.parse(await openJson(row.body, deps.orgKeys)).body;
      } catch {
        throw new AppError(
          500,
          'decryption_failed',
          'a note could not be decrypted with the organisation key',
        );
      }
      return {
        id: row.id,
        authorId: row.authorId,
        authorName: row.authorName,
        createdAt: row.createdAt.toISOString(),
        body,
      };
    }),
  );
}

// ---------------------------------------------------------------- deadlines

async function listDeadlineExtensions(db: Db, tipId: string): Promise<DeadlineExtension[]> {
  const rows = await db
    .select()
    .from(tipDeadlineExtensions)
    .where(eq(tipDeadlineExtensions.tipId, tipId))
    .orderBy(asc(tipDeadlineExtensions.extendedAt));
  return rows.map((row) => ({
    id: row.id,
    previousDeadlineAt: row.previousDeadlineAt.toISOString(),
    newDeadlineAt: row.newDeadlineAt.toISOString(),
    days: row.days,
    reason: row.reason,
    extendedAt: row.extendedAt.toISOString(),
    extendedBy: row.extendedBy,
  }));
}

/** Extends the 20-day settlement deadline with a reason; kept as history and audited. */
export async function extendDeadline(
  deps: TipsDeps,
  actor: Actor,
  tipId: string,
  request: DeadlineExtensionCreate,
): Promise<{ tip: TipSummary; extension: DeadlineExtension }> {
  const now = nowOf(deps);
  const { row, extension } = await deps.db.transaction(async (tx) => {
    const tip = await loadVisibleTip(tx, actor, tipId);
    if (!OPEN_STATUSES.includes(tip.status as TipStatus)) {
      throw await stateConflict(
        tx,
        actor,
        tip,
        'not_open',
        `the deadline of a tip that is ${tip.status} cannot be extended`,
      );
    }
    if (request.version !== undefined && request.version !== tip.version)
      throw await versionConflict(tx, actor, tipId);
    const newDeadlineAt = new Date(tip.deadlineAt.getTime() + request.days * DAY_MS);
    const [updated] = await tx
      .update(tips)
      .set({ deadlineAt: newDeadlineAt, version: tip.version + 1, updatedAt: now })
      .where(and(eq(tips.id, tipId), eq(tips.version, tip.version)))
      .returning();
    if (!updated) throw await versionConflict(tx, actor, tipId);
    const [extension] = await tx
      .insert(tipDeadlineExtensions)
      .values({
        tipId,
        previousDeadlineAt: tip.deadlineAt,
        newDeadlineAt,
        days: request.days,
        reason: request.reason,
        extendedBy: actor.userId,
        extendedAt: now,
      })
      .returning();
    await appendAuditEvent(tx, {
      actorType: 'user',
      actorId: actor.userId,
      action: 'tip.deadline_extended',
      subjectType: 'tip',
      subjectId: tipId,
      details: {
        extensionId: extension!.id,
        days: request.days,
        previousDeadlineAt: tip.deadlineAt.toISOString(),
        newDeadlineAt: newDeadlineAt.toISOString(),
        version: updated.version,
      },
    });
    return { row: updated, extension: extension! };
  });
  const [summary] = await presentTipSummaries(deps.db, [row], now);
  return {
    tip: summary!,
    extension: {
      id: extension.id,
      previousDeadlineAt: extension.previousDeadlineAt.toISOString(),
      newDeadlineAt: extension.newDeadlineAt.toISOString(),
      days: extension.days,
      reason: extension.reason,
      extendedAt: extension.extendedAt.toISOString(),
      extendedBy: extension.extendedBy,
    },
  };
}

// ---------------------------------------------------------------- public receipt lookup

export async function findStatusByReceipt(db: Db, receiptCode: string): Promise<string | undefined> {
  const [row] = await db
    .select({ status: tips.status })
    .from(tips)
    .where(eq(tips.receiptCode, receiptCode))
    .limit(1);
  return row?.status;
}
