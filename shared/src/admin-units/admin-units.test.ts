import { describe, expect, it } from 'vitest';
import { findCommunes, foldWords, loadAdminUnits, searchCommunes, searchProvinces } from './admin-units';

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

  it('ranks whole words before word starts before substrings, and counts every match', () => {
    const { matches, total } = findCommunes(units, '01', 'hoa');
    expect(total).toBeGreaterThan(8);
    expect(matches).toHaveLength(8);
    const names = matches.map((c) => c.shortName);
    // Whole-word matches (Ứng Hòa, Yên Hòa, Dương Hòa…) come before Hoàn Kiếm or Hoàng Mai.
    expect(names).toEqual(expect.arrayContaining(['Ứng Hòa', 'Yên Hòa', 'Dương Hòa']));
    expect(names).not.toContain('Hoàn Kiếm');
    expect(names).not.toContain('Hoàng Mai');
    const wholeWord = names.filter((name) => foldWords(name).includes('hoa'));
    expect(names.slice(0, wholeWord.length)).toEqual(wholeWord);
    // An exact name first, even when it is also a word of others.
    expect(findCommunes(units, '01', 'ba dinh').matches[0]?.shortName).toBe('Ba Đình');
    expect(findCommunes(units, '44', 'dakrong')).toMatchObject({ total: 1 });
  });

  it('folds per word', () => {
    expect(foldWords('Ứng Hòa')).toEqual(['ung', 'hoa']);
    expect(foldWords('  Đakrông ')).toEqual(['dakrong']);
  });
});
