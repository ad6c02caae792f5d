import type { NotifyUnitJob } from '@tinbao/shared';
import type { Job } from 'bullmq';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, loginAgent, type TestAgent, type TestUser } from '../auth/testing';
import { createNotifyUnitProcessor, UNIT_NOTICE_TEXT } from '../notifications/notify-unit-worker';
import { unitNotificationTargets } from '../platform/schema';
import { COMMUNE_A, useWorkflowHarness } from './test-harness';
import { createTestTip } from './testing';

/**
 * Role-appropriate views (issue 11, item 8), over HTTP against the real app, PostgreSQL and
 * Redis: a unit officer's answers about a tip routed to their unit carry no reporter
 * pseudonym, no moderator's note, no staff name or id and no exact pin — searched for in the
 * raw JSON of every tip route — while a moderator and an admin still get them.
 */
const h = useWorkflowHarness('postgres');

const PSEUDONYM = 'pseudonym-MARKER-7f3a9c21';
const INTERNAL_NOTE = 'MARKER-internal: người báo tin có lẽ là hàng xóm nhà số 12';
const OFFICER_NOTE = 'Đã xác minh sơ bộ tại hiện trường.';
const PIN = { latitude: 16.61234, longitude: 106.91876 };
/** The pin's digits, also cut to 4 decimals (a rounding that would still point at a house). */
const PIN_DIGITS = ['16.61234', '106.91876', '16.6123', '106.9187'];

let moderator: TestUser;
let officer: TestUser;
let colleague: TestUser;
let agents: { moderator: TestAgent; officer: TestAgent; colleague: TestAgent };
let tipId: string;
let receiptCode: string;
/** The raw body of every answer the officers got about the tip, by request. */
const officerAnswers = new Map<string, string>();

const STAFF_NAMES = ['Nguyễn Thị Lan', 'Trần Văn Minh', 'Lê Thị Hoa'];

/** Sends as an officer and keeps the raw body (the bytes on the wire, not the parsed object). */
async function asOfficer(label: string, request: () => Promise<{ status: number; text: string }>) {
  const response = await request();
  expect(response.status, `${label}: ${response.text}`).toBeLessThan(300);
  officerAnswers.set(label, response.text);
}

beforeAll(async () => {
  const db = h.database.db;
  moderator = await createTestUser(db, h.deps, { role: 'moderator', displayName: 'Nguyễn Thị Lan' });
  officer = await createTestUser(db, h.deps, {
    role: 'unit_officer',
    unitId: h.unitA,
    displayName: 'Trần Văn Minh',
  });
  colleague = await createTestUser(db, h.deps, {
    role: 'unit_officer',
    unitId: h.unitA,
    displayName: 'Lê Thị Hoa',
  });
  agents = {
    moderator: (await loginAgent(h.app, moderator)).agent,
    officer: (await loginAgent(h.app, officer)).agent,
    colleague: (await loginAgent(h.app, colleague)).agent,
  };
  await db
    .insert(unitNotificationTargets)
    .values({ unitId: h.unitA, channel: 'telegram', address: '-1001234567890' });

  const tip = await createTestTip(db, h.orgKeys.publicKey, {
    communeCode: COMMUNE_A,
    status: 'validated',
    location: PIN,
    reporterPseudonym: PSEUDONYM,
    description: 'Có người bán ma túy ở quán karaoke đầu ngõ, thường vào buổi tối.',
  });
  tipId = tip.id;
  receiptCode = tip.receiptCode;
  const path = `/api/v1/tips/${tipId}`;

  // The moderator opens it, writes an internal note, routes it and extends the deadline.
  expect((await agents.moderator.get(path)).status).toBe(200);
  expect((await agents.moderator.post(`${path}/notes`).send({ body: INTERNAL_NOTE })).status).toBe(201);
  const routed = await agents.moderator
    .post(`${path}/transitions`)
    .send({ action: 'route', unitIds: [h.unitA] });
  expect(routed.status).toBe(200);
  const extended = await agents.moderator
    .post(`${path}/deadline-extensions`)
    .send({ days: 5, reason: 'Chờ đơn vị xác minh.' });
  expect(extended.status).toBe(201);

  // The unit's officer works the case: every answer it gets is kept.
  await asOfficer('acknowledge', () =>
    agents.officer.post(`${path}/transitions`).send({ action: 'acknowledge' }),
  );
  await asOfficer('add note', () => agents.officer.post(`${path}/notes`).send({ body: OFFICER_NOTE }));
  await asOfficer('extend deadline', () =>
    agents.officer.post(`${path}/deadline-extensions`).send({ days: 3, reason: 'Cần thêm người.' }),
  );
  await asOfficer('detail', () => agents.officer.get(path));
  await asOfficer('notes', () => agents.officer.get(`${path}/notes`));
  await asOfficer('timeline', () => agents.officer.get(`${path}/timeline`));
  await asOfficer('inbox', () => agents.officer.get('/api/v1/tips?limit=100'));
  await asOfficer('by receipt code', () => agents.officer.get(`/api/v1/tips?receiptCode=${receiptCode}`));
  await asOfficer('counts', () => agents.officer.get('/api/v1/tips/counts'));
  // A colleague of the same unit, after the officer wrote: the same view.
  await asOfficer('colleague detail', () => agents.colleague.get(path));
  await asOfficer('colleague notes', () => agents.colleague.get(`${path}/notes`));
  await asOfficer('colleague timeline', () => agents.colleague.get(`${path}/timeline`));
});

describe("an officer's view of a tip routed to their unit", () => {
  it('carries no pseudonym, no internal note, no exact pin and no staff name or id, by any tip route', () => {
    expect([...officerAnswers.keys()]).toHaveLength(12);
    const forbidden = [
      PSEUDONYM,
      INTERNAL_NOTE,
      'MARKER',
      ...PIN_DIGITS,
      ...STAFF_NAMES,
      moderator.id,
      officer.id,
      colleague.id,
      h.users.admin.id,
    ];
    const leaks = [...officerAnswers].flatMap(([label, text]) =>
      forbidden.filter((needle) => text.includes(needle)).map((needle) => `${label}: ${needle}`),
    );
    expect(leaks).toEqual([]);
  });

  it('leaves the keys out rather than blanking them', () => {
    const detail = JSON.parse(officerAnswers.get('detail')!);
    expect(Object.keys(detail.content).sort()).toEqual([
      'description',
      'followUpConsent',
      'locationArea',
      'photos',
    ]);
    for (const route of detail.tip.routes) {
      expect(route).not.toHaveProperty('routedBy');
      expect(route).not.toHaveProperty('acknowledgedBy');
      expect(route).not.toHaveProperty('outcomeBy');
    }
    for (const extension of detail.deadlineExtensions) expect(extension).not.toHaveProperty('extendedBy');
    const timeline = JSON.parse(officerAnswers.get('timeline')!);
    for (const event of timeline.events) {
      expect(event).not.toHaveProperty('actorId');
      expect(event).not.toHaveProperty('actorName');
    }
  });

  it('gets what the case needs: the description, the commune and the ~1 km cell around the pin', () => {
    const detail = JSON.parse(officerAnswers.get('detail')!);
    expect(detail.content.description).toContain('quán karaoke');
    expect(detail.tip.communeCode).toBe(COMMUNE_A);
    expect(detail.tip.communeName).toBeTruthy();
    expect(detail.content.locationArea).toEqual({ latitude: 16.615, longitude: 106.915, cellDegrees: 0.01 });
    expect(detail.deadlineExtensions.map((e: { reason: string }) => e.reason)).toEqual([
      'Chờ đơn vị xác minh.',
      'Cần thêm người.',
    ]);
  });

  it("reads the unit's own notes, by role, and the timeline by role without the moderators' note", () => {
    for (const label of ['notes', 'colleague notes']) {
      const { notes } = JSON.parse(officerAnswers.get(label)!);
      expect(notes).toEqual([
        {
          id: expect.any(String),
          authorRole: 'unit_officer',
          createdAt: expect.any(String),
          body: OFFICER_NOTE,
        },
      ]);
    }
    const { events } = JSON.parse(officerAnswers.get('colleague timeline')!) as {
      events: { action: string; actorType: string; actorRole: string | null }[];
    };
    const views = ['tip.decrypted', 'tip.photo_decrypted', 'tip.notes_decrypted'];
    const changes = events.filter((event) => !views.includes(event.action));
    // The moderator's tip.note_added is not there; the officer's is.
    expect(changes.map((event) => [event.action, event.actorRole])).toEqual([
      ['tip.route', 'moderator'],
      ['tip.deadline_extended', 'moderator'],
      ['tip.acknowledge', 'unit_officer'],
      ['tip.note_added', 'unit_officer'],
      ['tip.deadline_extended', 'unit_officer'],
    ]);
    // The moderator's views are there, by role.
    expect(events).toContainEqual(
      expect.objectContaining({ action: 'tip.decrypted', actorType: 'user', actorRole: 'moderator' }),
    );
  });
});

describe("a moderator's and an admin's view of the same tip", () => {
  it('still carries the pseudonym, every note, the exact pin and the staff names', async () => {
    const path = `/api/v1/tips/${tipId}`;
    for (const agent of [agents.moderator, h.agents.admin]) {
      const detail = await agent.get(path);
      expect(detail.body.content).toMatchObject({ reporterPseudonym: PSEUDONYM, location: PIN });
      expect(detail.body.content).not.toHaveProperty('locationArea');
      expect(detail.body.tip.routes[0]).toMatchObject({ routedBy: moderator.id, acknowledgedBy: officer.id });
      expect(detail.body.deadlineExtensions.map((e: { extendedBy: string }) => e.extendedBy)).toEqual([
        moderator.id,
        officer.id,
      ]);
      const notes = await agent.get(`${path}/notes`);
      expect(notes.body.notes).toEqual([
        expect.objectContaining({
          body: INTERNAL_NOTE,
          authorId: moderator.id,
          authorName: 'Nguyễn Thị Lan',
          authorRole: 'moderator',
        }),
        expect.objectContaining({
          body: OFFICER_NOTE,
          authorId: officer.id,
          authorName: 'Trần Văn Minh',
          authorRole: 'unit_officer',
        }),
      ]);
      const timeline = await agent.get(`${path}/timeline`);
      const text = timeline.text;
      for (const name of ['Nguyễn Thị Lan', 'Trần Văn Minh', 'Lê Thị Hoa']) expect(text).toContain(name);
      expect(
        timeline.body.events.filter((event: { action: string }) => event.action === 'tip.note_added'),
      ).toHaveLength(2);
      const list = await agent.get(`/api/v1/tips?receiptCode=${receiptCode}`);
      expect(list.body.items[0].routes[0]).toMatchObject({ routedBy: moderator.id });
    }
  });
});

describe("the unit group's notice", () => {
  it('is the fixed text: nothing of the tip, the reporter or the staff', async () => {
    const job = (await h.queues.notify.getJob(`${tipId}_${h.unitA}`)) as Job<NotifyUnitJob> | undefined;
    expect(job?.data).toEqual({ tipId, unitId: h.unitA });
    const process = createNotifyUnitProcessor({
      db: h.database.db,
      relayQueue: h.queues.relay,
      logger: h.logger,
    });
    expect(await process(job!)).toEqual({ delivered: 'relay', targets: 1 });
    const relayed = await h.queues.relay.getJobs(['waiting', 'delayed', 'prioritized']);
    const notices = relayed.filter((relay) => relay.id?.includes(tipId));
    expect(notices.map((relay) => relay.data)).toEqual([
      expect.objectContaining({ kind: 'unit-notification', unitId: h.unitA, text: UNIT_NOTICE_TEXT }),
    ]);
    const text = JSON.stringify(notices[0]!.data);
    for (const needle of [PSEUDONYM, INTERNAL_NOTE, receiptCode, ...PIN_DIGITS, ...STAFF_NAMES, 'karaoke'])
      expect(text).not.toContain(needle);
  });
});
