import { describe, expect, it } from 'vitest';
import { vi } from '../i18n/vi';
import { normalizeUnitCode, validateNewUnit } from './unit-form';

describe('the new-unit form', () => {
  it('takes a code in any case and asks for a name of at most 200 characters', () => {
    expect(validateNewUnit(vi, 'bp-lao-bao', 'Đồn Biên phòng Lao Bảo')).toEqual({});
    expect(normalizeUnitCode(' bp-lao-bao ')).toBe('BP-LAO-BAO');
    expect(validateNewUnit(vi, '', '')).toEqual({
      code: vi.validation.required(vi.admin.unitCode),
      name: vi.validation.required(vi.admin.unitName),
    });
    expect(validateNewUnit(vi, 'bad code!', 'x'.repeat(201))).toEqual({
      code: vi.validation.unitCode,
      name: vi.validation.tooLong(vi.admin.unitName, 200),
    });
  });
});
