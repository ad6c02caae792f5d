import type { Unit } from '@tinbao/shared/api/units';
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { Field } from '../layout/ui';

/** Search units by code or name (there are thousands: one commune police per commune). */
export function UnitPicker({
  label,
  value,
  onChange,
  testId,
}: {
  label: string;
  value: string;
  onChange(unitId: string): void;
  testId?: string;
}) {
  const { t } = useI18n();
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
      <Field label={label}>
        {(id) => (
          <select
            id={id}
            value={value}
            onChange={(event) => onChange(event.target.value)}
            data-testid={testId}
          >
            <option value="">—</option>
            {units.map((unit) => (
              <option key={unit.id} value={unit.id}>
                {unit.code} · {unit.name}
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  );
}
