import type { StaffRole } from '@tinbao/shared/api/auth';
import { STAFF_ROLES } from '@tinbao/shared/api/auth';
import { ProvinceField } from '../admin-units/ProvinceCommuneFields';
import { useProvinces } from '../admin-units/use-communes';
import { useI18n } from '../i18n/i18n';
import { EnumSelect } from '../layout/select';
import { UnitPicker } from '../units/UnitPicker';

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

/**
 * What the role is limited to: an officer's unit, a moderator's province (empty, "Toàn quốc",
 * = every province); an admin has neither.
 */
export function RoleScopeFields({
  role,
  unitId,
  provinceCode,
  onUnitChange,
  onProvinceChange,
  unitError,
  provinceTestId,
}: {
  role: StaffRole;
  unitId: string;
  provinceCode: string;
  onUnitChange(unitId: string): void;
  onProvinceChange(code: string): void;
  unitError: string | undefined;
  provinceTestId: string;
}) {
  const { t } = useI18n();
  const provinces = useProvinces();
  if (role === 'unit_officer')
    return <UnitPicker label={t.admin.unit} value={unitId} onChange={onUnitChange} error={unitError} />;
  if (role === 'moderator')
    return (
      <ProvinceField
        provinces={provinces}
        value={provinceCode}
        onChange={onProvinceChange}
        emptyLabel={t.admin.nationwide}
        testId={provinceTestId}
      />
    );
  return null;
}
