import { PlaceSearchResponseSchema } from '@tinbao/shared/api/places';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkflowHarness, type WorkflowHarness } from '../tips/test-harness';

describe('places API: communes by current or old name', () => {
  let h: WorkflowHarness;

  beforeAll(async () => {
    h = await createWorkflowHarness('pglite');
  });
  afterAll(async () => {
    await h?.destroy();
  });

  const search = (query: Record<string, string>) =>
    h.agents.moderator.get('/api/v1/places/communes').query(query);

  it('finds "Lao Bảo" by its old thị trấn, with the province and the old name', async () => {
    const response = await search({ q: 'thi tran lao bao', province: '44' });
    expect(response.status).toBe(200);
    const body = PlaceSearchResponseSchema.parse(response.body);
    expect(body.matches[0]).toEqual({
      code: '19432',
      name: 'Xã Lao Bảo',
      type: 'Xã',
      provinceCode: '44',
      provinceName: 'Tỉnh Quảng Trị',
      via: { kind: 'old_commune', name: 'Thị trấn Lao Bảo', relation: 'merged', sameCode: true },
    });
  });

  it('searches every province without one, and the old districts', async () => {
    const body = PlaceSearchResponseSchema.parse((await search({ q: 'huyen dam ha' })).body);
    expect(body.matches.slice(0, 2).map((m) => `${m.name} (${m.provinceName})`)).toEqual([
      'Xã Đầm Hà (Thành phố Quảng Ninh)',
      'Xã Quảng Tân (Thành phố Quảng Ninh)',
    ]);
    expect(body.matches[0]?.via).toMatchObject({ kind: 'old_district', name: 'Huyện Đầm Hà' });
  });

  it('limits and counts', async () => {
    const body = PlaceSearchResponseSchema.parse(
      (await search({ q: 'hoa', province: '01', limit: '5' })).body,
    );
    expect(body.matches).toHaveLength(5);
    expect(body.total).toBeGreaterThan(5);
  });

  it('refuses an empty query or a malformed province', async () => {
    expect((await search({ q: ' ' })).status).toBe(400);
    expect((await search({ q: 'lao bao', province: 'QT' })).status).toBe(400);
    expect((await h.agents.anonymous.get('/api/v1/places/communes?q=lao')).status).toBe(401);
  });
});
