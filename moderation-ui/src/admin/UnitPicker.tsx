import type { Unit } from '@tinbao/shared/api/units';
import { useEffect, useState } from 'react';
import { unitLabel, useProvinceNames } from '../api/admin-units';
import { api } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { Field } from '../layout/ui';

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
      api<{ units: Unit[] }>('/units', {
        query: { q: q.trim() || undefined, limit: 50 },
        signal: controller.signal,
      }).then(
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
      <Field label={label} error={error}>
        {(id, describedBy) => (
          <select
            id={id}
            value={value}
            onChange={(event) => onChange(event.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy}
            data-testid={testId}
          >
            <option value="">—</option>
            {units.map((unit) => (
              <option key={unit.id} value={unit.id}>
                {unitLabel(unit, provinceNames)}
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  );
}
