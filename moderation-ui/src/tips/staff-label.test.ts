import { describe, expect, it } from 'vitest';
import { vi } from '../i18n/vi';
import { staffLabel } from './staff-label';

describe('how staff appear on a tip', () => {
  it('by name when the API sent one, else by the role they acted in', () => {
    expect(staffLabel({ name: 'Nguyễn Thị Lan', role: 'moderator', id: 'u1' }, vi.roles)).toBe(
      'Nguyễn Thị Lan',
    );
    // What a unit officer is sent: no name, no id, the role.
    expect(staffLabel({ role: 'moderator' }, vi.roles)).toBe('Cán bộ tiếp nhận');
    expect(staffLabel({ role: 'unit_officer' }, vi.roles)).toBe('Cán bộ đơn vị');
    expect(staffLabel({ role: 'admin' }, vi.roles)).toBe('Quản trị viên');
    // An account that no longer exists: its id, for those who read ids.
    expect(staffLabel({ name: null, role: null, id: 'u1' }, vi.roles)).toBe('u1');
    expect(staffLabel({ role: null }, vi.roles)).toBe('');
  });
});
