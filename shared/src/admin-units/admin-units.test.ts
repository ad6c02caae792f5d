import { describe, expect, it } from 'vitest';
import { loadAdminUnits, searchCommunes, searchProvinces } from './admin-units';

const units = loadAdminUnits();

describe('administrative units', () => {
  it('holds the 34 provinces and 3,321 communes of the 2025 reorganisation', () => {
    expect(units.provinces).toHaveLength(34);
    expect(units.communes).toHaveLength(3321);
    expect(units.communeByCode.get('20333')?.name).toBe('Đặc khu Hoàng Sa');
  });

  it('finds Đakrông typed without accents or spaces', () => {
    const quangTri = searchProvinces(units, 'quang tri')[0];
    expect(quangTri?.code).toBe('44');
    for (const query of ['dak rong', 'dakrong', 'Đakrông', 'DAKRONG']) {
      expect(searchCommunes(units, '44', query)[0]?.name, query).toBe('Xã Đakrông');
    }
  });

  it('offers both names that collide once accents are removed', () => {
    const province = units.provinces.find((p) =>
      units.communesOf(p.code).some((c) => c.shortName === 'Văn Lăng'),
    );
    expect(province).toBeDefined();
    const names = searchCommunes(units, province!.code, 'van lang').map((c) => c.shortName);
    expect(names).toEqual(expect.arrayContaining(['Văn Lang', 'Văn Lăng']));
  });

  it('limits results and ignores empty queries', () => {
    expect(searchCommunes(units, '01', 'a')).toHaveLength(8);
    expect(searchCommunes(units, '01', '  ')).toEqual([]);
  });
});
