import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEvents } from '../platform/schema';
import { COMMUNE_A, useWorkflowHarness } from '../tips/test-harness';
import { createTestTip } from '../tips/testing';

const h = useWorkflowHarness('postgres');

describe('statistics and the public receipt status', () => {
  it('counts from clear fields, reports outcomes and medians, exports CSV as an audited event', async () => {
    const tip = await createTestTip(h.database.db, h.orgKeys.publicKey, {
      communeCode: COMMUNE_A,
      status: 'validated',
    });
    await h.agents.moderator
      .post(`/api/v1/tips/${tip.id}/transitions`)
      .send({ action: 'route', unitIds: [h.unitA] });
    await h.agents.officerRouted.post(`/api/v1/tips/${tip.id}/transitions`).send({ action: 'acknowledge' });
    await h.agents.officerRouted
      .post(`/api/v1/tips/${tip.id}/transitions`)
      .send({ action: 'report_outcome', outcome: 'hot_spot_cleared' });
    const stats = await h.agents.moderator.get('/api/v1/stats?provinceCode=44');
    expect(stats.status).toBe(200);
    expect(stats.body.outcomes.hot_spot_cleared).toBeGreaterThanOrEqual(1);
    expect(stats.body.total).toBe(
      stats.body.byCommune.reduce((sum: number, row: { count: number }) => sum + row.count, 0),
    );
    expect(stats.body.medianHoursToRoute).toEqual(expect.any(Number));
    expect(stats.body.medianHoursToAcknowledge).toEqual(expect.any(Number));

    const csv = await h.agents.admin.get('/api/v1/stats/export.csv?provinceCode=44');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.text.split('\r\n')[0]).toBe(
      '\uFEFFmonth,province_code,commune_code,commune_name,category,status,count',
    );
    expect(csv.text).toContain('"Xã Đakrông"');
    const [exported] = await h.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'stats.exported'));
    expect(exported).toMatchObject({ actorId: h.users.admin.id, details: { provinceCode: '44' } });
  });
});
