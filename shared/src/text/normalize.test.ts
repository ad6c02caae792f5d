import { describe, expect, it } from 'vitest';
import { foldForSearch, toNfc } from './normalize';

describe('foldForSearch', () => {
  it('folds diacritics, đ and spacing to one key', () => {
    expect(foldForSearch('Đakrông')).toBe('dakrong');
    expect(foldForSearch('dak rong')).toBe('dakrong');
    expect(foldForSearch('DAKRONG')).toBe('dakrong');
  });

  it('folds both tone placements of Hòa/Hoà to the same key', () => {
    const older = 'Ho\u00e0'; // Hoà with the tone on a
    const newer = 'H\u00f2a'; // Hòa with the tone on o
    expect(toNfc(older)).not.toBe(toNfc(newer));
    expect(foldForSearch(older)).toBe(foldForSearch(newer));
  });

  it('keeps distinct letters distinct', () => {
    expect(foldForSearch('Văn Lang')).toBe(foldForSearch('Văn Lăng'));
    expect(foldForSearch('Ba Tơ')).not.toBe(foldForSearch('Ba Tri'));
  });
});
