import { useState } from 'react';
import { useProvinceNames } from '../admin-units/use-communes';
import { useI18n } from '../i18n/i18n';
import { SelectField } from '../layout/select';
import { Field } from '../layout/ui';
import { SEARCH_DEBOUNCE_MS, useDebounced } from '../layout/use-debounced';
import { unitLabel } from './unit-label';
import { useUnits } from './use-units';

/** Search units by code or name (there are thousands: one commune police per commune). */
export function UnitPicker({
  label,
  value,
  onChange,
  testId,
  error,
}: {
  label: string;
  value: string;
  onChange(unitId: string): void;
  testId?: string;
  error?: string | undefined;
}) {
  const { t } = useI18n();
  const provinceNames = useProvinceNames();
  const [q, setQ] = useState('');
  const search = useDebounced(q.trim(), SEARCH_DEBOUNCE_MS);
  // A failed search keeps the units found before: the select stays usable.
  const units = useUnits({ q: search || undefined, limit: 50 }).data?.units ?? [];

  return (
    <div>
      <Field label={`${label} — ${t.admin.searchUnits}`}>
        {(id) => (
          <input
            id={id}
            type="search"
            value={q}
            onChange={(event) => setQ(event.target.value)}
            data-testid={testId ? `${testId}-search` : undefined}
          />
        )}
      </Field>
      <SelectField
        label={label}
        error={error}
        value={value}
        onChange={onChange}
        emptyLabel="—"
        options={units.map((unit) => ({ value: unit.id, label: unitLabel(unit, provinceNames) }))}
        testId={testId}
      />
    </div>
  );
}
