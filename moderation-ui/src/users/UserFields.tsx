import type { StaffRole } from '@tinbao/shared/api/auth';
import { STAFF_ROLES } from '@tinbao/shared/api/auth';
import { useState } from 'react';
import { ProvinceField } from '../admin-units/ProvinceCommuneFields';
import { useProvinces } from '../admin-units/use-communes';
import { useI18n } from '../i18n/i18n';
import { EnumSelect } from '../layout/select';
import { UnitPicker } from '../units/UnitPicker';
import { scopeOfRole } from './user-form';

/** The role select, the same in the create form and the edit dialog. */
export function RoleField({ value, onChange }: { value: StaffRole; onChange(role: StaffRole): void }) {
  const { t } = useI18n();
  return (
    <EnumSelect
      label={t.admin.role}
      values={STAFF_ROLES}
      labels={t.roles}
      value={value}
      onChange={(role) => role && onChange(role)}
    />
  );
}

/** A role and what it is limited to, as a form holds them (the unit or province of another role stays until sent). */
export function useRoleScope(initial: {
  role: StaffRole;
  unitId?: string | null;
  provinceCode?: string | null;
}) {
  const [role, setRole] = useState<StaffRole>(initial.role);
  const [unitId, setUnitId] = useState(initial.unitId ?? '');
  const [provinceCode, setProvinceCode] = useState(initial.provinceCode ?? '');
  return {
    role,
    setRole,
    unitId,
    setUnitId,
    provinceCode,
    setProvinceCode,
    /** What is sent: the role with its own scope only. */
    request: () => ({ role, ...scopeOfRole(role, unitId, provinceCode) }),
  };
}

export type RoleScope = ReturnType<typeof useRoleScope>;

/**
 * What the role is limited to: an officer's unit, a moderator's province (empty, "Toàn quốc",
 * = every province); an admin has neither.
 */
export function RoleScopeFields({
  scope,
  unitError,
  provinceTestId,
}: {
  scope: RoleScope;
  unitError: string | undefined;
  provinceTestId: string;
}) {
  const { t } = useI18n();
  const provinces = useProvinces();
  if (scope.role === 'unit_officer')
    return (
      <UnitPicker label={t.admin.unit} value={scope.unitId} onChange={scope.setUnitId} error={unitError} />
    );
  if (scope.role === 'moderator')
    return (
      <ProvinceField
        provinces={provinces}
        value={scope.provinceCode}
        onChange={scope.setProvinceCode}
        emptyLabel={t.admin.nationwide}
        testId={provinceTestId}
      />
    );
  return null;
}
