import type { Commune, Province } from '@tinbao/shared/api/units';
import { useI18n } from '../i18n/i18n';
import { SelectField } from '../layout/select';

interface OptionSelectProps {
  label: string;
  value: string;
  options: { code: string; name: string }[];
  /** The text of the empty choice ("Tất cả" in filters, "—" in forms). */
  emptyLabel: string;
  onChange(value: string): void;
  disabled?: boolean;
  testId?: string;
}

function OptionSelect({ label, value, options, emptyLabel, onChange, disabled, testId }: OptionSelectProps) {
  return (
    <SelectField
      label={label}
      value={value}
      options={options.map((option) => ({ value: option.code, label: option.name }))}
      emptyLabel={emptyLabel}
      onChange={onChange}
      disabled={disabled}
      testId={testId}
    />
  );
}

/** The province select ("Tỉnh/thành"), alone: unit search, new unit, statistics. */
export function ProvinceField({
  provinces,
  value,
  onChange,
  emptyLabel,
  testId,
  disabled,
}: {
  provinces: Province[];
  value: string;
  onChange(code: string): void;
  emptyLabel: string;
  testId?: string;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  return (
    <OptionSelect
      label={t.queue.province}
      value={value}
      options={provinces}
      emptyLabel={emptyLabel}
      onChange={onChange}
      disabled={disabled}
      testId={testId}
    />
  );
}

/** Province then commune; the caller decides what a new province resets. */
export function ProvinceCommuneFields({
  provinces,
  communes,
  provinceCode,
  communeCode,
  onProvinceChange,
  onCommuneChange,
  emptyLabel,
  communeNeedsProvince = false,
  provinceDisabled,
  provinceTestId,
  communeTestId,
}: {
  provinces: Province[];
  communes: Commune[];
  provinceCode: string;
  communeCode: string;
  onProvinceChange(code: string): void;
  onCommuneChange(code: string): void;
  emptyLabel: string;
  /** Disable the commune select while no province is chosen. */
  communeNeedsProvince?: boolean;
  /** Shown but fixed (a province moderator's queue). */
  provinceDisabled?: boolean;
  provinceTestId?: string;
  communeTestId?: string;
}) {
  const { t } = useI18n();
  return (
    <>
      <ProvinceField
        provinces={provinces}
        value={provinceCode}
        onChange={onProvinceChange}
        emptyLabel={emptyLabel}
        disabled={provinceDisabled}
        testId={provinceTestId}
      />
      <OptionSelect
        label={t.queue.commune}
        value={communeCode}
        options={communes}
        emptyLabel={emptyLabel}
        onChange={onCommuneChange}
        disabled={communeNeedsProvince ? !provinceCode : undefined}
        testId={communeTestId}
      />
    </>
  );
}
