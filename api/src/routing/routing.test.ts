import type { Actor } from '@tinbao/shared/permissions/index';
import type { Job } from 'bullmq';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { tips } from '../platform/schema';
import { PRIORITY } from '../tips/priority';
import { COMMUNE_A, useWorkflowHarness } from '../tips/test-harness';
import { createTestTip } from '../tips/testing';
import { createTriageTipProcessor } from '../tips/triage-worker';
import { createUnit } from '../units/service';
import { createRoutingRule, setBorderCommune } from './service';

const h = useWorkflowHarness('postgres');

describe('routing', () => {
  it('proposes the commune police, a border guard station for a border commune, and rule units', async () => {
    const admin: Actor = { userId: h.users.admin.id, role: 'admin', unitId: null, provinceCode: null };
    const station = await createUnit(h.database.db, admin, {
      code: 'BP-TEST-LALAY',
      name: 'Đồn Biên phòng La Lay',
      kind: 'border_guard',
      provinceCode: '44',
      communeCodes: [COMMUNE_A],
    });
    const drugs = await createUnit(h.database.db, admin, {
      code: 'PC04-44',
      name: 'Phòng CSĐT tội phạm về ma túy',
      kind: 'specialised',
    });
    await createRoutingRule(h.database.db, admin, {
      name: 'Trồng cây → PC04',
      unitId: drugs.id,
      enabled: true,
      provinceCode: '44',
      communeCode: null,
      category: 'trong_cay',
      venueType: null,
      borderAreaOnly: false,
    });
    await createRoutingRule(h.database.db, admin, {
      name: 'Biên giới → PC04',
      unitId: drugs.id,
      enabled: true,
      provinceCode: null,
      communeCode: null,
      category: null,
      venueType: null,
      borderAreaOnly: true,
    });
    const plain = await createTestTip(h.database.db, h.orgKeys.publicKey, {
      communeCode: h.communeB,
      category: 'mua_ban',
    });
    const proposals = async (id: string) =>
      (await h.agents.moderator.get(`/api/v1/tips/${id}/routing-proposals`)).body;
    expect((await proposals(plain.id)).proposals.map((p: { unitId: string }) => p.unitId)).toEqual([h.unitB]);

    const plant = await createTestTip(h.database.db, h.orgKeys.publicKey, {
      communeCode: COMMUNE_A,
      category: 'trong_cay',
    });
    const planted = await proposals(plant.id);
    expect(planted.borderArea).toBe(false);
    expect(
      planted.proposals.map((p: { unitCode: string; reasons: string[] }) => [p.unitCode, p.reasons]),
    ).toEqual([
      ['BP-TEST-LALAY', ['covers_commune']],
      ['CA-19564', ['covers_commune']],
      ['PC04-44', ['rule:Trồng cây → PC04']],
    ]);

    await setBorderCommune(h.database.db, admin, COMMUNE_A, true);
    const border = await createTestTip(h.database.db, h.orgKeys.publicKey, {
      communeCode: COMMUNE_A,
      category: 'mua_ban',
    });
    const atBorder = await proposals(border.id);
    expect(atBorder.borderArea).toBe(true);
    expect(atBorder.proposals.find((p: { unitId: string }) => p.unitId === drugs.id).reasons).toEqual([
      'rule:Biên giới → PC04',
    ]);

    // Triage raises a border commune's tip to high priority.
    await createTriageTipProcessor({ db: h.database.db, logger: h.logger })({
      data: { tipId: border.id },
    } as Job<{ tipId: string }>);
    const [row] = await h.database.db
      .select({ priority: tips.priority })
      .from(tips)
      .where(eq(tips.id, border.id));
    expect(row!.priority).toBe(PRIORITY.high);
    await setBorderCommune(h.database.db, admin, COMMUNE_A, false);

    // Confirming routes to the chosen units and queues one notify-unit job per unit.
    await h.agents.moderator.post(`/api/v1/tips/${border.id}/transitions`).send({ action: 'start_review' });
    await h.agents.moderator.post(`/api/v1/tips/${border.id}/transitions`).send({ action: 'validate' });
    const routed = await h.agents.moderator
      .post(`/api/v1/tips/${border.id}/transitions`)
      .send({ action: 'route', unitIds: [h.unitA, station.id], version: 2 });
    expect(routed.status).toBe(200);
    expect(routed.body.tip.routes.map((r: { unitId: string }) => r.unitId).sort()).toEqual(
      [h.unitA, station.id].sort(),
    );
    for (const unitId of [h.unitA, station.id]) {
      const job = await h.queues.notify.getJob(`${border.id}_${unitId}`);
      expect(job?.data).toEqual({ tipId: border.id, unitId });
    }
  });
});
