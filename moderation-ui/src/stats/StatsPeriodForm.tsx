import { type FormEvent, useState } from 'react';
import { ProvinceField } from '../admin-units/ProvinceCommuneFields';
import { useProvinces } from '../admin-units/use-communes';
import { useI18n } from '../i18n/i18n';
import { Field } from '../layout/ui';
import { periodProblem, type StatsPeriod } from './days';

/**
 * The period and province of the statistics, applied with «Xem»; a period the API would
 * refuse (a missing day, the last before the first) is said here and never sent.
 */
export function StatsPeriodForm({
  initial,
  provinceLocked,
  onApply,
}: {
  initial: StatsPeriod;
  /** A province moderator: the province is shown but cannot be changed. */
  provinceLocked: boolean;
  onApply(period: StatsPeriod): void;
}) {
  const { t } = useI18n();
  const provinces = useProvinces();
  const [from, setFrom] = useState(initial.from);
  // "Đến ngày" is inclusive: today by default, and from = to shows one day.
  const [to, setTo] = useState(initial.to);
  const [provinceCode, setProvinceCode] = useState(initial.provinceCode);
  const [problem, setProblem] = useState<string | undefined>(undefined);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = periodProblem(t, { from, to });
    setProblem(found);
    if (!found) onApply({ from, to, provinceCode });
  };

  return (
    <form
      className="card form-grid"
      onSubmit={submit}
      noValidate
      style={{ marginBottom: '1rem' }}
      data-testid="stats-form"
    >
      <Field label={t.stats.from}>
        {(id) => (
          <input
            id={id}
            type="date"
            value={from}
            onChange={(event) => setFrom(event.target.value)}
            data-testid="stats-from"
          />
        )}
      </Field>
      <Field label={t.stats.to} error={problem}>
        {(id, describedBy) => (
          <input
            id={id}
            type="date"
            value={to}
            min={from || undefined}
            onChange={(event) => setTo(event.target.value)}
            aria-invalid={problem ? true : undefined}
            aria-describedby={describedBy}
            data-testid="stats-to"
          />
        )}
      </Field>
      <ProvinceField
        provinces={provinces}
        value={provinceCode}
        onChange={setProvinceCode}
        emptyLabel={t.all}
        disabled={provinceLocked}
      />
      <div className="field">
        <button type="submit" className="btn btn-primary">
          {t.stats.apply}
        </button>
      </div>
    </form>
  );
}
