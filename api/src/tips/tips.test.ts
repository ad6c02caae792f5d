import { createHash } from 'node:crypto';
import type { TipSummary } from '@tinbao/shared/api/tips';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, loginAgent } from '../auth/testing';
import { auditEvents, tipNotes, tips } from '../platform/schema';
import { PRIORITY } from './priority';
import { COMMUNE_A, createWorkflowHarness, OTHER_PROVINCE, type WorkflowHarness } from './test-harness';
import { createTestTip } from './testing';

const DAY = 24 * 3600 * 1000;
let h: WorkflowHarness;

beforeAll(async () => {
  h = await createWorkflowHarness('postgres');
});
afterAll(async () => {
  await h?.destroy();
});

async function listAll(
  query: string,
  persona: 'moderator' | 'officerRouted' = 'moderator',
): Promise<TipSummary[]> {
  const items: TipSummary[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const response = await h.agents[persona].get(
      `/api/v1/tips?${query}&limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(response.status).toBe(200);
    items.push(...response.body.items);
    cursor = response.body.nextCursor;
    if (!cursor) return items;
  }
  throw new Error('pagination did not end');
}

describe('the queue', () => {
  let ids: string[];
  beforeAll(async () => {
    const now = Date.now();
    ids = [];
    // 22 tips: mixed priority, receipt times 0..21 days ago, two categories, two communes.
    for (let index = 0; index < 22; index++) {
      const tip = await createTestTip(h.database.db, h.orgKeys.publicKey, {
        category: index % 3 === 0 ? 'trong_cay' : 'mua_ban',
        communeCode: index % 2 ? COMMUNE_A : h.communeB,
        observed: index % 4 === 0 ? 'dang_dien_ra' : 'hom_qua',
        receivedAt: new Date(now - index * DAY - index * 1000),
        status: index % 5 === 0 ? 'in_review' : 'new',
        ...(index % 7 === 0 ? { routedTo: [h.unitA] } : {}),
      });
      ids.push(tip.id);
    }
  });

  it.each([
    [
      'priority',
      (a: TipSummary, b: TipSummary) =>
        b.priority - a.priority || a.deadlineAt.localeCompare(b.deadlineAt) || a.id.localeCompare(b.id),
    ],
    [
      'deadline',
      (a: TipSummary, b: TipSummary) => a.deadlineAt.localeCompare(b.deadlineAt) || a.id.localeCompare(b.id),
    ],
    [
      'received',
      (a: TipSummary, b: TipSummary) => b.receivedAt.localeCompare(a.receivedAt) || b.id.localeCompare(a.id),
    ],
  ] as const)('pages through every tip once, sorted by %s', async (sort, compare) => {
    const items = await listAll(`sort=${sort}`);
    const mine = items.filter((item) => ids.includes(item.id));
    expect(new Set(mine.map((item) => item.id)).size).toBe(ids.length);
    expect(mine).toEqual([...mine].sort(compare));
    if (sort === 'priority') expect(mine[0]!.priority).toBe(PRIORITY.high);
  });

  it('filters by status, category, commune, province, unit, period, priority and overdue', async () => {
    const all = await listAll('sort=received');
    const check = async (query: string, predicate: (item: TipSummary) => boolean) => {
      const filtered = await listAll(query);
      expect(filtered.map((i) => i.id).sort()).toEqual(
        all
          .filter(predicate)
          .map((i) => i.id)
          .sort(),
      );
      return filtered;
    };
    await check('status=in_review', (i) => i.status === 'in_review');
    await check(
      'status=new,in_review&category=trong_cay',
      (i) => ['new', 'in_review'].includes(i.status) && i.category === 'trong_cay',
    );
    await check(`communeCode=${COMMUNE_A}`, (i) => i.communeCode === COMMUNE_A);
    await check('provinceCode=44&priority=2', (i) => i.provinceCode === '44' && i.priority === 2);
    await check(`unitId=${h.unitA}`, (i) => i.routes.some((r) => r.unitId === h.unitA));
    const from = new Date(Date.now() - 5.5 * DAY).toISOString();
    await check(`from=${from}`, (i) => i.receivedAt >= from);
    const overdue = await check('overdue=true', (i) => i.overdue);
    // Received 21 days ago and still open: past the 20-day deadline.
    expect(overdue.map((i) => i.id)).toContain(ids[21]);
    await check('overdue=false', (i) => !i.overdue);
  });

  it('scopes an officer to the tips routed to their unit, and counts the same way', async () => {
    const mine = await listAll('sort=priority', 'officerRouted');
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((i) => i.routes.some((r) => r.unitId === h.unitA))).toBe(true);
    const counts = await h.agents.officerRouted.get('/api/v1/tips/counts');
    expect(counts.body.total).toBe(mine.length);
  });

  it('finds one tip by receipt code, within the same scoping (officers: their unit only)', async () => {
    const all = await listAll('sort=received');
    const routed = all.find((i) => i.routes.some((r) => r.unitId === h.unitA))!;
    const other = all.find((i) => i.routes.length === 0)!;
    const one = await h.agents.moderator.get(`/api/v1/tips?receiptCode=${other.receiptCode}`);
    expect(one.body.items.map((i: TipSummary) => i.id)).toEqual([other.id]);
    const officerOwn = await h.agents.officerRouted.get(`/api/v1/tips?receiptCode=${routed.receiptCode}`);
    expect(officerOwn.body.items.map((i: TipSummary) => i.id)).toEqual([routed.id]);
    const officerOther = await h.agents.officerRouted.get(`/api/v1/tips?receiptCode=${other.receiptCode}`);
    expect(officerOther.status).toBe(200);
    expect(officerOther.body.items).toEqual([]);
    const unknown = await h.agents.moderator.get('/api/v1/tips?receiptCode=TB-00000-00000');
    expect(unknown.body.items).toEqual([]);
    const malformed = await h.agents.moderator.get('/api/v1/tips?receiptCode=not-a-code');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toBe('invalid_request');
  });

  it('rejects a cursor from another sort or a forged one (400, not 500)', async () => {
    const page = await h.agents.moderator.get('/api/v1/tips?limit=2&sort=priority');
    for (const cursor of [page.body.nextCursor, 'bm90LWpzb24', Buffer.from('[1,2]').toString('base64url')]) {
      const response = await h.agents.moderator.get(`/api/v1/tips?sort=deadline&cursor=${cursor}`);
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('invalid_request');
    }
  });

  it('extends an overdue deadline with a reason: history kept, audited, no longer overdue', async () => {
    const tipId = ids[21]!;
    const response = await h.agents.moderator
      .post(`/api/v1/tips/${tipId}/deadline-extensions`)
      .send({ days: 15, reason: 'Chờ kết quả giám định.' });
    expect(response.status).toBe(201);
    expect(response.body.tip.overdue).toBe(false);
    expect(response.body.extension).toMatchObject({ days: 15, reason: 'Chờ kết quả giám định.' });
    await h.agents.moderator
      .post(`/api/v1/tips/${tipId}/deadline-extensions`)
      .send({ days: 5, reason: 'Thêm 5 ngày.' });
    const detail = await h.agents.moderator.get(`/api/v1/tips/${tipId}`);
    expect(detail.body.deadlineExtensions.map((e: { days: number }) => e.days)).toEqual([15, 5]);
    const events = await h.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, tipId), eq(auditEvents.action, 'tip.deadline_extended')));
    expect(events).toHaveLength(2);
  });
});

describe('decryption, notes and audit', () => {
  it('decrypts the detail for an authorised user and audits each opening', async () => {
    const tip = await createTestTip(h.database.db, h.orgKeys.publicKey, {
      description: 'Bán ma túy ở quán X',
    });
    const detail = await h.agents.moderator.get(`/api/v1/tips/${tip.id}`);
    expect(detail.body.content.description).toBe('Bán ma túy ở quán X');
    expect(detail.body.allowedActions).toEqual(['start_review', 'mark_duplicate']);
    await h.agents.admin.get(`/api/v1/tips/${tip.id}`);
    const events = await h.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, tip.id), eq(auditEvents.action, 'tip.decrypted')));
    expect(events.map((e) => e.actorId)).toEqual([h.users.moderator.id, h.users.admin.id]);
  });

  it('stores notes sealed and lists them decrypted (audited)', async () => {
    const tip = await createTestTip(h.database.db, h.orgKeys.publicKey, {
      routedTo: [h.unitA],
      status: 'routed',
    });
    const added = await h.agents.officerRouted
      .post(`/api/v1/tips/${tip.id}/notes`)
      .send({ body: 'MARKER-ghi-chú đối tượng A' });
    expect(added.status).toBe(201);
    const [row] = await h.database.db.select().from(tipNotes).where(eq(tipNotes.tipId, tip.id));
    expect(Buffer.from(row!.body).includes(Buffer.from('MARKER'))).toBe(false);
    const list = await h.agents.moderator.get(`/api/v1/tips/${tip.id}/notes`);
    expect(list.body.notes).toMatchObject([
      { body: 'MARKER-ghi-chú đối tượng A', authorId: h.users.officerRouted.id },
    ]);
    const timeline = await h.agents.officerRouted.get(`/api/v1/tips/${tip.id}/timeline`);
    expect(timeline.body.events.map((e: { action: string }) => e.action)).toEqual([
      'tip.note_added',
      'tip.notes_decrypted',
    ]);
    expect(JSON.stringify(timeline.body)).not.toContain('MARKER');
  });
});

describe('the public receipt status', () => {
  it('tells a resident a coarse status by receipt code, and rate-limits look-ups', async () => {
    const tip = await createTestTip(h.database.db, h.orgKeys.publicKey, { status: 'acknowledged' });
    const ok = await h.agents.anonymous.get(`/api/v1/receipts/${tip.receiptCode}`);
    expect(ok.body).toEqual({ ok: true, status: 'forwarded' });
    expect((await h.agents.anonymous.get('/api/v1/receipts/TB-00000-00000')).status).toBe(404);
    expect((await h.agents.anonymous.get('/api/v1/receipts/not-a-code')).status).toBe(400);
    let limited = 0;
    for (let i = 0; i < 25; i++) {
      if ((await h.agents.anonymous.get(`/api/v1/receipts/${tip.receiptCode}`)).status === 429) limited++;
    }
    expect(limited).toBeGreaterThan(0);
    // The counter is named by an HMAC of the address, not by a hash anyone can recompute.
    const keys = await h.deps.redisFast.keys(`${h.deps.config.REDIS_PREFIX}:receipt-lookups:*`);
    expect(keys).toHaveLength(1);
    const plain = ['::ffff:127.0.0.1', '127.0.0.1', '::1'].map((address) =>
      createHash('sha256').update(`ip:${address}`).digest('hex').slice(0, 32),
    );
    expect(plain).not.toContain(keys[0]?.split(':').at(-1));
  });
});

describe('two moderators over HTTP', () => {
  it('act on one tip at once: one wins, the other gets 409 with the allowed actions', async () => {
    const second = await createTestUser(h.database.db, h.deps, { role: 'moderator' });
    const { agent } = await loginAgent(h.app, second);
    for (let round = 0; round < 5; round++) {
      const tip = await createTestTip(h.database.db, h.orgKeys.publicKey, { status: 'in_review' });
      const [a, b] = await Promise.all([
        h.agents.moderator
          .post(`/api/v1/tips/${tip.id}/transitions`)
          .send({ action: 'validate', version: 0 }),
        agent
          .post(`/api/v1/tips/${tip.id}/transitions`)
          .send({ action: 'reject', reason: 'spam', version: 0 }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const loser = a.status === 409 ? a : b;
      expect(['version_conflict', 'illegal_transition']).toContain(loser.body.error);
      expect(loser.body.allowed).toEqual(expect.any(Array));
    }
  });
});

describe('a province moderator', () => {
  it("lists, counts and reports only their province's tips", async () => {
    const moderator44 = await createTestUser(h.database.db, h.deps, {
      role: 'moderator',
      provinceCode: '44',
    });
    const agent44 = (await loginAgent(h.app, moderator44)).agent;
    const agent01 = h.agents.moderatorOtherProvince;
    const here = await createTestTip(h.database.db, h.orgKeys.publicKey, { communeCode: COMMUNE_A });
    const there = await createTestTip(h.database.db, h.orgKeys.publicKey, { communeCode: COMMUNE_A });
    // Province 01 has no commune seeded: move the tip's province column only (all scoping reads it).
    await h.database.db.update(tips).set({ provinceCode: OTHER_PROVINCE }).where(eq(tips.id, there.id));

    const ids = async (agent: typeof agent44, query = '') =>
      ((await agent.get(`/api/v1/tips?limit=100${query}`)).body.items as TipSummary[]).map((t) => t.id);
    const everywhere = await h.agents.moderator.get('/api/v1/tips/counts');
    const in44 = await agent44.get('/api/v1/tips/counts');
    const in01 = await agent01.get('/api/v1/tips/counts');
    expect(in01.body.total).toBe(1);
    expect(in44.body.total).toBe(everywhere.body.total - 1);
    expect(await ids(agent01)).toEqual([there.id]);
    expect(await ids(agent01, '&provinceCode=44')).toEqual([]);
    expect(await ids(agent44)).toContain(here.id);
    expect(await ids(agent44)).not.toContain(there.id);
    expect((await agent44.get(`/api/v1/tips/${there.id}`)).status).toBe(404);
    expect((await agent01.get(`/api/v1/tips/${there.id}`)).status).toBe(200);
    // Merging into a tip of another province answers like a missing tip.
    const merge = await agent44
      .post(`/api/v1/tips/${here.id}/transitions`)
      .send({ action: 'mark_duplicate', duplicateOf: there.id });
    expect(merge.status).toBe(400);

    const stats01 = await agent01.get('/api/v1/stats');
    expect(stats01.status).toBe(200);
    expect(stats01.body).toMatchObject({ provinceCode: OTHER_PROVINCE, total: 1 });
    const stats44 = await agent44.get('/api/v1/stats');
    const nationwide = await h.agents.moderator.get('/api/v1/stats');
    expect(stats44.body.provinceCode).toBe('44');
    expect(stats44.body.total).toBe(nationwide.body.total - 1);
    expect((await agent44.get(`/api/v1/stats?provinceCode=${OTHER_PROVINCE}`)).status).toBe(403);
    expect((await agent01.get('/api/v1/stats/export.csv?provinceCode=44')).status).toBe(403);
  });
});
