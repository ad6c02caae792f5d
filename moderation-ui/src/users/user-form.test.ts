import { describe, expect, it } from 'vitest';
import { vi } from '../i18n/vi';
import { scopeOfRole, validateUserForm } from './user-form';

describe('the user form', () => {
  it('asks for a username in the API’s shape, a unit for an officer, a display name when editing', () => {
    const form = { displayName: '', role: 'moderator' as const, unitId: '', displayNameRequired: false };
    expect(validateUserForm(vi, { ...form, username: ' ' }).username).toBe(
      vi.validation.required(vi.admin.username),
    );
    expect(validateUserForm(vi, { ...form, username: 'ab' }).username).toBe(vi.validation.username);
    expect(validateUserForm(vi, { ...form, username: 'Lan.Nguyen' })).toEqual({});
    expect(validateUserForm(vi, { ...form, role: 'unit_officer' }).unitId).toBe(
      vi.validation.choose(vi.admin.unit),
    );
    expect(validateUserForm(vi, { ...form, displayNameRequired: true }).displayName).toBe(
      vi.validation.required(vi.admin.displayName),
    );
    expect(validateUserForm(vi, { ...form, displayName: 'x'.repeat(101) }).displayName).toBe(
      vi.validation.tooLong(vi.admin.displayName, 100),
    );
  });

  it('sends a unit with an officer only and a province with a moderator only', () => {
    expect(scopeOfRole('unit_officer', 'u1', '44')).toEqual({ unitId: 'u1', provinceCode: null });
    expect(scopeOfRole('moderator', 'u1', '44')).toEqual({ unitId: null, provinceCode: '44' });
    expect(scopeOfRole('moderator', '', '')).toEqual({ unitId: null, provinceCode: null });
    expect(scopeOfRole('admin', 'u1', '44')).toEqual({ unitId: null, provinceCode: null });
  });
});
