import { describe, expect, it } from 'vitest';
import { useWorkflowHarness } from '../tips/test-harness';

const h = useWorkflowHarness('postgres');

describe('units and administrative units', () => {
  it.each(['Đakrông', 'dakrong', 'dak rong', 'ĐAKRÔNG', 'CA-19564'])(
    'finds the commune police of Đakrông by %s',
    async (q) => {
      const response = await h.agents.moderator.get(`/api/v1/units?q=${encodeURIComponent(q)}`);
      expect(response.body.units.map((u: { code: string }) => u.code)).toContain('CA-19564');
    },
  );

  it('searches communes without diacritics and puts exact matches first', async () => {
    const response = await h.agents.officerRouted.get(
      '/api/v1/admin-units/communes?provinceCode=44&q=dong hoi',
    );
    expect(response.body.communes[0]).toMatchObject({ name: 'Phường Đồng Hới', provinceCode: '44' });
  });

  it('rejects unknown communes and duplicate codes clearly', async () => {
    const bad = await h.agents.admin
      .post('/api/v1/units')
      .send({ code: 'BP-X1', name: 'X', kind: 'border_guard', communeCodes: ['99999'] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('99999');
    const dup = await h.agents.admin
      .post('/api/v1/units')
      .send({ code: 'CA-19564', name: 'X', kind: 'commune_police' });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toBe('unit_code_taken');
  });
});
