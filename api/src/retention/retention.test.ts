import { randomBytes, randomUUID } from 'node:crypto';
import type { TipStatus } from '@tinbao/shared';
import { and, count, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditCommand } from '../cli/audit';
import { auditEvents, tipDeadlineExtensions, tipNotes, tipRoutes, tips } from '../platform/schema';
import { tipQuestions } from '../questions/schema';
import { COMMUNE_A, useWorkflowHarness } from '../tips/test-harness';
import { createTestTip } from '../tips/testing';
import { retentionPolicyOf } from './config';
import { DAY_MS } from './policy';
import { type PurgeOptions, purgeDueTips } from './purge';

const h = useWorkflowHarness('postgres');

const T0 = new Date();
const daysBefore = (days: number, from = T0) => new Date(from.getTime() - days * DAY_MS);
const daysAfter = (days: number, from = T0) => new Date(from.getTime() + days * DAY_MS);

/** A purge at a moment the test chooses (no waiting a year). */
const purgeAt = (at: Date, options: Partial<PurgeOptions> = {}) =>
  purgeDueTips(
    { db: h.database.db, policy: retentionPolicyOf(h.config), now: () => at },
    { by: 'scheduler', ...options },
  );

const PHOTO = {
  mimeType: 'image/jpeg' as const,
  width: 4,
  height: 4,
  dataBase64: Buffer.from('photo').toString('base64'),
};

/** A tip that left the workflow `daysAgo` days before T0, routed to unit A, with a photo, a note and a reply token. */
async function closedTip(
  status: TipStatus,
  daysAgo: number,
  extra: { statusReason?: 'spam' | 'false' } = {},
) {
  const tip = await createTestTip(h.database.db, h.orgKeys.publicKey, {
    communeCode: COMMUNE_A,
    status,
    routedTo: [h.unitA],
    acknowledged: true,
    closedAt: daysBefore(daysAgo),
    photos: [PHOTO],
  });
  await h.database.db
    .update(tips)
    .set({ replyToken: randomBytes(24), ...(extra.statusReason ? { statusReason: extra.statusReason } : {}) })
    .where(eq(tips.id, tip.id));
  const note = await h.agents.moderator
    .post(`/api/v1/tips/${tip.id}/notes`)
    .send({ body: 'Ghi chú nội bộ về tin này.' });
  expect(note.status).toBe(201);
  // A question to the resident (its sealed text is the purge's to delete, like the note).
  await h.database.db.insert(tipQuestions).values({
    id: randomUUID(),
    tipId: tip.id,
    askedBy: randomUUID(),
    askedAt: daysBefore(daysAgo + 1),
    envelope: randomBytes(64),
  });
  return tip;
}

const questionCount = async (tipId: string) =>
  (await h.database.db.select({ n: count() }).from(tipQuestions).where(eq(tipQuestions.tipId, tipId)))[0]!.n;

async function rowOf(tipId: string) {
  const [row] = await h.database.db.select().from(tips).where(eq(tips.id, tipId));
  return row!;
}

const noteCount = async (tipId: string) =>
  (await h.database.db.select({ n: count() }).from(tipNotes).where(eq(tipNotes.tipId, tipId)))[0]!.n;

const auditCount = async (tipId: string, action?: string) =>
  (
    await h.database.db
      .select({ n: count() })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.subjectType, 'tip'),
          eq(auditEvents.subjectId, tipId),
          action ? eq(auditEvents.action, action) : undefined,
        ),
      )
  )[0]!.n;

/** Every statistic the API answers, over all time, nationwide and for province 44, plus the CSV. */
async function allStatistics() {
  const window = 'from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z';
  const [all, province, csv] = await Promise.all([
    h.agents.admin.get(`/api/v1/stats?${window}`),
    h.agents.admin.get(`/api/v1/stats?${window}&provinceCode=44`),
    h.agents.admin.get(`/api/v1/stats/export.csv?${window}`),
  ]);
  expect(all.status).toBe(200);
  return { all: all.body, province: province.body, csv: csv.text };
}

describe('retention on PostgreSQL: preview, purge, holds', () => {
  let closed400: { id: string };
  let closed100: { id: string };
  let rejected100: { id: string };
  let duplicate100: { id: string };
  let rejected80: { id: string };
  let held400: { id: string };
  let rejectedThenClosed95: { id: string };
  let open: { id: string };

  it('an admin sees what the next purge deletes, per reason, and the next tips with their purge date', async () => {
    closed400 = await closedTip('closed', 400);
    closed100 = await closedTip('closed', 100);
    rejected100 = await closedTip('rejected', 100, { statusReason: 'spam' });
    duplicate100 = await closedTip('duplicate', 100);
    await h.database.db.update(tips).set({ duplicateOf: closed100.id }).where(eq(tips.id, duplicate100.id));
    rejected80 = await closedTip('rejected', 80, { statusReason: 'false' });
    held400 = await closedTip('closed', 400);
    // Rejected, then closed: still a rejected tip, kept 90 days.
    rejectedThenClosed95 = await closedTip('closed', 95, { statusReason: 'false' });
    open = await createTestTip(h.database.db, h.orgKeys.publicKey, { status: 'routed', routedTo: [h.unitA] });

    const hold = await h.agents.admin
      .put(`/api/v1/tips/${held400.id}/legal-hold`)
      .send({ reason: 'Vụ án số 12/2025, Cơ quan CSĐT yêu cầu giữ nguyên chứng cứ' });
    expect(hold.status).toBe(200);
    expect(hold.body.legalHold).toMatchObject({
      placedBy: h.users.admin.id,
      reason: expect.stringContaining('12/2025'),
    });

    const preview = await h.agents.admin.get('/api/v1/retention/preview?limit=10');
    expect(preview.status).toBe(200);
    expect(preview.body.policy).toEqual({ closedDays: 365, rejectedDays: 90 });
    expect(preview.body.due).toEqual({ closed: 1, rejected: 2, duplicate: 1, total: 4 });
    expect(preview.body.held).toBe(1);
    const next = preview.body.next as { tipId: string; reason: string; purgeAt: string }[];
    const ids = next.map((candidate) => candidate.tipId);
    // Soonest first: the closed one (due 35 days ago), the rejected/duplicate 100 (10 days ago), then 95 (5 days ago), …
    expect(ids.slice(0, 4)).toEqual([
      closed400.id,
      ...[rejected100.id, duplicate100.id].sort(),
      rejectedThenClosed95.id,
    ]);
    expect(ids.indexOf(rejected80.id)).toBeGreaterThan(ids.indexOf(rejectedThenClosed95.id));
    expect(ids).toContain(closed100.id);
    expect(ids).not.toContain(held400.id);
    expect(ids).not.toContain(open.id);
    const of = (id: string) => next.find((candidate) => candidate.tipId === id)!;
    expect(of(closed100.id)).toMatchObject({ reason: 'closed', purgeAt: daysAfter(265).toISOString() });
    expect(of(rejected80.id)).toMatchObject({ reason: 'rejected', purgeAt: daysAfter(10).toISOString() });
    expect(of(duplicate100.id).reason).toBe('duplicate');
    expect(of(rejectedThenClosed95.id).reason).toBe('rejected');

    const holds = await h.agents.admin.get('/api/v1/retention/holds');
    expect(holds.body.holds).toEqual([
      expect.objectContaining({
        tipId: held400.id,
        purgeAt: daysAfter(-35).toISOString(),
        hold: expect.objectContaining({ placedByName: expect.any(String) }),
      }),
    ]);
  });

  it('officers and moderators can neither see the preview nor place or release a hold', async () => {
    for (const persona of ['moderator', 'officerRouted'] as const) {
      const agent = h.agents[persona];
      expect((await agent.get('/api/v1/retention/preview')).status).toBe(403);
      expect((await agent.get('/api/v1/retention/holds')).status).toBe(403);
      expect((await agent.get(`/api/v1/tips/${held400.id}/retention`)).status).toBe(403);
      expect((await agent.put(`/api/v1/tips/${closed400.id}/legal-hold`).send({ reason: 'x' })).status).toBe(
        403,
      );
      expect((await agent.delete(`/api/v1/tips/${held400.id}/legal-hold`)).status).toBe(403);
    }
    expect((await rowOf(closed400.id)).legalHoldAt).toBeNull();
    expect((await rowOf(held400.id)).legalHoldAt).not.toBeNull();
  });

  it('purges the tips due (closed 400 days ago, rejected and duplicate 100), not the others nor the held one; statistics unchanged; audit verify passes', async () => {
    const before = await allStatistics();
    const eventsBefore = await auditCount(closed400.id);
    const progress: string[] = [];
    const result = await purgeAt(T0, {
      batchSize: 2,
      onProgress: ({ purged, total }) => progress.push(`${purged}/${total}`),
    });
    expect(result).toMatchObject({
      purged: 4,
      batches: 2,
      due: { closed: 1, rejected: 2, duplicate: 1, total: 4 },
    });
    expect(progress).toEqual(['0/4', '2/4', '4/4']);
    expect(result.rows).toEqual({
      tip_notes: 4,
      'tip_routes.outcome_note': 0,
      tip_deadline_extensions: 0,
      tip_answers: 0,
      tip_questions: 4,
    });

    for (const purged of [closed400, rejected100, duplicate100, rejectedThenClosed95]) {
      const row = await rowOf(purged.id);
      expect(row.purgedAt?.toISOString()).toBe(T0.toISOString());
      expect(row.envelope).toBeNull();
      expect(row.replyToken).toBeNull();
      expect(await noteCount(purged.id)).toBe(0);
      expect(await questionCount(purged.id)).toBe(0);
      // The clear fields and the routes stay.
      expect(row.receiptCode).toMatch(/^TB-/);
      expect(row.communeCode).toBe(COMMUNE_A);
      const routes = await h.database.db.select().from(tipRoutes).where(eq(tipRoutes.tipId, purged.id));
      expect(routes).toHaveLength(1);
      expect(await auditCount(purged.id, 'tip.purged')).toBe(1);
    }
    for (const kept of [closed100, rejected80, held400, open]) {
      const row = await rowOf(kept.id);
      expect(row.purgedAt).toBeNull();
      expect(row.envelope).not.toBeNull();
    }
    expect(await noteCount(closed100.id)).toBe(1);
    expect(await noteCount(held400.id)).toBe(1);
    expect(await questionCount(held400.id)).toBe(1);

    // Audit events remain: every earlier one, plus one tip.purged without content.
    expect(await auditCount(closed400.id)).toBe(eventsBefore + 1);
    const [purgedEvent] = await h.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, closed400.id), eq(auditEvents.action, 'tip.purged')));
    expect(purgedEvent).toMatchObject({
      actorType: 'system',
      actorId: 'retention',
      details: {
        runId: result.runId,
        reason: 'closed',
        retentionDays: 365,
        closedAt: daysBefore(400).toISOString(),
      },
    });
    const [summary] = await h.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'retention.purged'), eq(auditEvents.subjectId, result.runId)));
    expect(summary?.details).toMatchObject({ purged: 4, batches: 2, rows: { tip_notes: 4 } });

    expect(await allStatistics()).toEqual(before);
    expect(await auditCommand(['verify'], { DATABASE_URL: h.database.url! })).toBe(0);
  });

  it('a second purge is a no-op: nothing purged, nothing failed, no audit event', async () => {
    const [{ n: eventsBefore }] = (await h.database.db.select({ n: count() }).from(auditEvents)) as [
      { n: number },
    ];
    const again = await purgeAt(T0);
    expect(again).toMatchObject({ purged: 0, batches: 0, due: { total: 0 } });
    const [{ n: eventsAfter }] = (await h.database.db.select({ n: count() }).from(auditEvents)) as [
      { n: number },
    ];
    expect(eventsAfter).toBe(eventsBefore);
  });

  it('a purged tip answers 410 tip_purged to whoever may see it, and 404 to the others; its timeline and retention state remain', async () => {
    const decryptedBefore = await auditCount(closed400.id, 'tip.decrypted');
    for (const path of ['', '/photos/0', '/notes', '/routing-proposals']) {
      const response = await h.agents.admin.get(`/api/v1/tips/${closed400.id}${path}`);
      expect(response.status, path).toBe(410);
      expect(response.body).toMatchObject({
        ok: false,
        error: 'tip_purged',
        message: expect.stringContaining('deleted'),
        purgedAt: T0.toISOString(),
      });
    }
    // No decryption event for a refused read.
    expect(await auditCount(closed400.id, 'tip.decrypted')).toBe(decryptedBefore);
    expect((await h.agents.officerRouted.get(`/api/v1/tips/${closed400.id}`)).status).toBe(410);
    expect((await h.agents.officerOther.get(`/api/v1/tips/${closed400.id}`)).status).toBe(404);
    expect((await h.agents.moderatorOtherProvince.get(`/api/v1/tips/${closed400.id}`)).status).toBe(404);

    const note = await h.agents.moderator
      .post(`/api/v1/tips/${closed400.id}/notes`)
      .send({ body: 'Thêm ghi chú' });
    expect(note.status).toBe(410);
    expect(await noteCount(closed400.id)).toBe(0);
    // A purged rejected tip cannot be closed any more: its status (a statistic) stays.
    const close = await h.agents.moderator
      .post(`/api/v1/tips/${rejected100.id}/transitions`)
      .send({ action: 'close' });
    expect(close.status).toBe(410);
    expect((await rowOf(rejected100.id)).status).toBe('rejected');
    const hold = await h.agents.admin
      .put(`/api/v1/tips/${closed400.id}/legal-hold`)
      .send({ reason: 'Quá muộn' });
    expect(hold.status).toBe(410);

    const timeline = await h.agents.moderator.get(`/api/v1/tips/${closed400.id}/timeline`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.events.map((event: { action: string }) => event.action)).toContain('tip.purged');
    const retention = await h.agents.admin.get(`/api/v1/tips/${closed400.id}/retention`);
    expect(retention.body).toMatchObject({
      purgedAt: T0.toISOString(),
      reason: 'closed',
      legalHold: null,
      closedAt: daysBefore(400).toISOString(),
    });
  });

  it('closing through the workflow starts the clock: kept 364 days later, purged after 365 with its outcome note and deadline history; statistics unchanged', async () => {
    const tip = await createTestTip(h.database.db, h.orgKeys.publicKey, {
      communeCode: COMMUNE_A,
      status: 'routed',
      routedTo: [h.unitA],
    });
    const act = async (agent: 'moderator' | 'officerRouted', body: object) => {
      const response = await h.agents[agent].post(`/api/v1/tips/${tip.id}/transitions`).send(body);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
    };
    const extension = await h.agents.officerRouted
      .post(`/api/v1/tips/${tip.id}/deadline-extensions`)
      .send({ days: 10, reason: 'Cần xác minh thêm tại địa bàn' });
    expect(extension.status).toBe(201);
    await act('officerRouted', { action: 'acknowledge' });
    await act('officerRouted', {
      action: 'report_outcome',
      outcome: 'case_opened',
      note: 'Đã lập hồ sơ vụ việc',
    });
    await h.agents.officerRouted.post(`/api/v1/tips/${tip.id}/notes`).send({ body: 'Ghi chú của đơn vị' });
    const closedAround = new Date();
    await act('moderator', { action: 'close' });
    const closedAt = (await rowOf(tip.id)).closedAt!;
    expect(Math.abs(closedAt.getTime() - closedAround.getTime())).toBeLessThan(60_000);

    await purgeAt(daysAfter(364, closedAt));
    expect((await rowOf(tip.id)).purgedAt).toBeNull();

    const before = await allStatistics();
    const result = await purgeAt(daysAfter(365.01, closedAt));
    expect((await rowOf(tip.id)).purgedAt).not.toBeNull();
    expect(result.rows).toMatchObject({ 'tip_routes.outcome_note': 1, tip_deadline_extensions: 1 });
    const [route] = await h.database.db.select().from(tipRoutes).where(eq(tipRoutes.tipId, tip.id));
    expect(route).toMatchObject({ outcome: 'case_opened', outcomeNote: null });
    expect(route?.acknowledgedAt).toBeInstanceOf(Date);
    expect(
      await h.database.db.select().from(tipDeadlineExtensions).where(eq(tipDeadlineExtensions.tipId, tip.id)),
    ).toEqual([]);
    expect(await noteCount(tip.id)).toBe(0);
    expect(await allStatistics()).toEqual(before);
  });

  it('a held tip is never purged; released, it is purged at the next run; holds are refused twice and released once', async () => {
    const far = daysAfter(5000);
    await purgeAt(far);
    expect((await rowOf(held400.id)).purgedAt).toBeNull();
    expect(await noteCount(held400.id)).toBe(1);
    // Every other tip that left the workflow is due by then; the open one never is.
    expect((await rowOf(closed100.id)).purgedAt).not.toBeNull();
    expect((await rowOf(open.id)).purgedAt).toBeNull();

    const twice = await h.agents.admin
      .put(`/api/v1/tips/${held400.id}/legal-hold`)
      .send({ reason: 'Lần nữa' });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toBe('legal_hold_exists');
    const empty = await h.agents.admin.put(`/api/v1/tips/${open.id}/legal-hold`).send({ reason: '   ' });
    expect(empty.status).toBe(400);
    // The database refuses a held tip's purge whatever the code does.
    await h.database.db
      .update(tips)
      .set({ legalHoldAt: new Date(), legalHoldBy: h.users.admin.id, legalHoldReason: 'x' })
      .where(eq(tips.id, open.id));
    const refused = await h.database.db
      .update(tips)
      .set({ purgedAt: new Date(), envelope: null })
      .where(eq(tips.id, open.id))
      .then(
        () => null,
        (error: { cause?: { constraint?: string } }) => error.cause?.constraint,
      );
    expect(refused).toBe('tips_purged_not_held_check');
    await h.database.db
      .update(tips)
      .set({ legalHoldAt: null, legalHoldBy: null, legalHoldReason: null })
      .where(eq(tips.id, open.id));

    const released = await h.agents.admin.delete(`/api/v1/tips/${held400.id}/legal-hold`);
    expect(released.status).toBe(200);
    expect(released.body.legalHold).toBeNull();
    const again = await h.agents.admin.delete(`/api/v1/tips/${held400.id}/legal-hold`);
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('no_legal_hold');
    const actions = (
      await h.database.db
        .select({ action: auditEvents.action, details: auditEvents.details })
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.subjectId, held400.id),
            inArray(auditEvents.action, ['tip.legal_hold_placed', 'tip.legal_hold_released']),
          ),
        )
        .orderBy(auditEvents.seq)
    ).map((event) => [event.action, Object.keys(event.details).sort()]);
    // Placed and released once each, and the reason (a case reference) is not in the audit log.
    expect(actions).toEqual([
      ['tip.legal_hold_placed', ['role']],
      ['tip.legal_hold_released', ['heldSince', 'role']],
    ]);

    await purgeAt(far);
    expect((await rowOf(held400.id)).purgedAt).not.toBeNull();
    expect(await auditCommand(['verify'], { DATABASE_URL: h.database.url! })).toBe(0);
  });

  it('two purges at once split the work: each due tip purged once', async () => {
    const due = await Promise.all(
      Array.from({ length: 6 }, (_, i) => closedTip(i % 2 ? 'closed' : 'rejected', 10_000 + i)),
    );
    const [first, second] = await Promise.all([purgeAt(T0, { batchSize: 1 }), purgeAt(T0, { batchSize: 1 })]);
    expect(first.purged + second.purged).toBe(6);
    for (const tip of due) expect(await auditCount(tip.id, 'tip.purged')).toBe(1);
    expect(await auditCommand(['verify'], { DATABASE_URL: h.database.url! })).toBe(0);
  });
});
