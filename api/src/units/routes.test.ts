import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, unitNotificationTargets, units } from '../platform/schema';
import { ENGINES } from '../platform/test-database';
import { createWorkflowHarness, type WorkflowHarness } from '../tips/test-harness';

const GROUP_A = { channel: 'telegram', address: '-1001234567890' } as const;
const GROUP_B = { channel: 'telegram', address: '-1009876543210' } as const;
const newCode = () => `BP-${randomBytes(3).toString('hex').toUpperCase()}`;

describe.each(ENGINES)("units API: a unit's notification targets on %s", (engine) => {
  let h: WorkflowHarness;

  beforeAll(async () => {
    h = await createWorkflowHarness(engine);
  });
  afterAll(async () => {
    await h?.destroy();
  });

  const createUnit = async (body: Record<string, unknown> = {}) =>
    h.agents.admin
      .post('/api/v1/units')
      .send({ code: newCode(), name: 'Đồn Biên phòng La Lay', kind: 'border_guard', ...body });
  const patch = (unitId: string, body: Record<string, unknown>) =>
    h.agents.admin.patch(`/api/v1/units/${unitId}`).send(body);

  it('creates a unit with its targets, the same target twice counted once', async () => {
    const created = await createUnit({ notificationTargets: [GROUP_A, GROUP_B, GROUP_A] });
    expect(created.status).toBe(201);
    // Added together, they come back by channel and address.
    expect(created.body.unit).toMatchObject({
      notificationTargets: [GROUP_A, GROUP_B],
      notificationTargetCount: 2,
    });
    const plain = await createUnit();
    expect(plain.body.unit).toMatchObject({ notificationTargets: [], notificationTargetCount: 0 });
  });

  it('lists the number of targets of each unit, and the targets in the unit detail', async () => {
    const { body } = await createUnit({ notificationTargets: [GROUP_A] });
    const list = await h.agents.moderator.get(`/api/v1/units?q=${body.unit.code}`);
    expect(list.status).toBe(200);
    const listed = list.body.units.find((unit: { id: string }) => unit.id === body.unit.id);
    expect(listed).toMatchObject({ notificationTargetCount: 1 });
    expect(listed).not.toHaveProperty('notificationTargets');
    expect(listed).not.toHaveProperty('telegramGroupConfigured');
    const detail = await h.agents.moderator.get(`/api/v1/units/${body.unit.id}`);
    expect(detail.body.unit.notificationTargets).toEqual([GROUP_A]);
  });

  it('replaces the targets as a whole: add, remove, clear; a kept target keeps its place', async () => {
    const { body } = await createUnit({ notificationTargets: [GROUP_B] });
    const unitId: string = body.unit.id;
    const [before] = await h.database.db
      .select({ id: unitNotificationTargets.id })
      .from(unitNotificationTargets)
      .where(eq(unitNotificationTargets.unitId, unitId));

    const added = await patch(unitId, { notificationTargets: [GROUP_B, GROUP_A] });
    expect(added.status).toBe(200);
    expect(added.body.unit.notificationTargets).toEqual([GROUP_B, GROUP_A]);
    const [kept] = await h.database.db
      .select({ id: unitNotificationTargets.id })
      .from(unitNotificationTargets)
      .where(
        and(eq(unitNotificationTargets.unitId, unitId), eq(unitNotificationTargets.address, GROUP_B.address)),
      );
    expect(kept?.id).toBe(before?.id);

    const removed = await patch(unitId, { notificationTargets: [GROUP_A] });
    expect(removed.body.unit.notificationTargets).toEqual([GROUP_A]);
    // Other fields leave the targets alone.
    const renamed = await patch(unitId, { name: 'Đồn Biên phòng Cửa khẩu La Lay' });
    expect(renamed.body.unit).toMatchObject({
      name: 'Đồn Biên phòng Cửa khẩu La Lay',
      notificationTargets: [GROUP_A],
    });
    const cleared = await patch(unitId, { notificationTargets: [] });
    expect(cleared.body.unit).toMatchObject({ notificationTargets: [], notificationTargetCount: 0 });

    // The audit log names the changed fields, never an address.
    const events = await h.database.db
      .select({ action: auditEvents.action, details: auditEvents.details })
      .from(auditEvents)
      .where(eq(auditEvents.subjectId, unitId));
    expect(events.filter((event) => event.action === 'unit.updated').map((event) => event.details)).toEqual([
      { fields: ['notificationTargets'] },
      { fields: ['notificationTargets'] },
      { fields: ['name'] },
      { fields: ['notificationTargets'] },
    ]);
    expect(JSON.stringify(events)).not.toContain(GROUP_A.address);
    expect(JSON.stringify(events)).not.toContain(GROUP_B.address);
  });

  it('refuses a bad Telegram group id, an unknown channel and the old telegramGroupId field', async () => {
    const { body } = await createUnit();
    const badGroup = await patch(body.unit.id, {
      notificationTargets: [{ channel: 'telegram', address: '12345' }],
    });
    expect(badGroup.status).toBe(400);
    expect(badGroup.body.error).toBe('invalid_request');
    expect(badGroup.body.message).toBe(
      'body.notificationTargets.0.address: a Telegram group id is a negative number',
    );
    const unknownChannel = await patch(body.unit.id, {
      notificationTargets: [{ channel: 'fax', address: '-1001234567890' }],
    });
    expect(unknownChannel.status).toBe(400);
    expect(unknownChannel.body.message).toMatch(/^body\.notificationTargets\.0\.channel: /);
    const extra = await patch(body.unit.id, {
      notificationTargets: [{ ...GROUP_A, label: 'x' }],
    });
    expect(extra.status).toBe(400);
    const old = await patch(body.unit.id, { telegramGroupId: '-1001234567890' });
    expect(old.status).toBe(400);
    const onCreate = await createUnit({ notificationTargets: [{ channel: 'telegram', address: '-12' }] });
    expect(onCreate.status).toBe(400);
    expect(onCreate.body.message).toContain('a Telegram group id is a negative number');
  });

  it('answers 404 for targets of an unknown unit, and lets only admins set them', async () => {
    const missing = await patch(randomUUID(), { notificationTargets: [GROUP_A] });
    expect(missing.status).toBe(404);
    const { body } = await createUnit();
    const byModerator = await h.agents.moderator
      .patch(`/api/v1/units/${body.unit.id}`)
      .send({ notificationTargets: [GROUP_A] });
    expect(byModerator.status).toBe(403);
  });

  it("deletes a unit's targets with the unit", async () => {
    const { body } = await createUnit({ notificationTargets: [GROUP_A] });
    await h.database.db.delete(units).where(eq(units.id, body.unit.id));
    const left = await h.database.db
      .select()
      .from(unitNotificationTargets)
      .where(eq(unitNotificationTargets.unitId, body.unit.id));
    expect(left).toEqual([]);
  });
});
