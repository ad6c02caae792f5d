import type { CommunePlace } from '@tinbao/shared/api/places';
import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { vi } from '../i18n/vi';
import { placeLabel } from './place-label';

const laoBao: CommunePlace = {
  code: '19432',
  name: 'Xã Lao Bảo',
  type: 'Xã',
  provinceCode: '44',
  provinceName: 'Tỉnh Quảng Trị',
};

describe('placeLabel', () => {
  it('shows the province and the old name a match came from', () => {
    expect(placeLabel(laoBao, vi.places)).toBe('Xã Lao Bảo (Quảng Trị)');
    const fromOld = {
      ...laoBao,
      via: { kind: 'old_commune', name: 'Thị trấn Lao Bảo', relation: 'merged' },
    } as const;
    expect(placeLabel(fromOld, vi.places)).toBe('Xã Lao Bảo (Quảng Trị) — từ Thị trấn Lao Bảo cũ');
    expect(placeLabel(fromOld, en.places)).toBe('Xã Lao Bảo (Quảng Trị) — from former Thị trấn Lao Bảo');
  });

  it('says when only part of an old commune went there, and names a repeated old name by district', () => {
    const banCo: CommunePlace = {
      code: '26743',
      name: 'Phường Bàn Cờ',
      type: 'Phường',
      provinceCode: '79',
      provinceName: 'Thành phố Hồ Chí Minh',
      via: { kind: 'old_commune', name: 'Phường 4', relation: 'split', district: 'Quận 3' },
    };
    expect(placeLabel(banCo, vi.places)).toBe('Phường Bàn Cờ (Hồ Chí Minh) — một phần Phường 4 (Quận 3) cũ');
    const district = { ...laoBao, via: { kind: 'old_district', name: 'Huyện Hướng Hóa' } } as const;
    expect(placeLabel(district, vi.places)).toBe('Xã Lao Bảo (Quảng Trị) — thuộc Huyện Hướng Hóa cũ');
  });
});
