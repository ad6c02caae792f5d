import type { Unit } from '@tinbao/shared/api/units';
import { useEffect, useState } from 'react';
import { unitLabel, useProvinceNames } from '../api/admin-units';
import { useI18n } from '../i18n/i18n';
import { SelectField } from '../layout/select';
import { Field } from '../layout/ui';
import { unitsApi } from './units-api';

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
  const [units, setUnits] = useState<Unit[]>([]);

  useEffect(() => {
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      unitsApi.list({ q: q.trim() || undefined, limit: 50 }, controller.signal).then(
        (body) => setUnits(body.units),
        () => undefined,
      );
    }, 200);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [q]);

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
