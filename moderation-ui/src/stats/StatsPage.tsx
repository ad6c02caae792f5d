import { type TipOutcome, TipOutcomeSchema } from '@tinbao/shared/api/tips';
import { type FormEvent, useState } from 'react';
import { ProvinceField } from '../admin-units/ProvinceCommuneFields';
import { useProvinces } from '../admin-units/use-communes';
import { buildUrl } from '../api/client';
import { useUser } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { AsyncState } from '../layout/async';
import { Field, PageTitle } from '../layout/ui';
import { useApi } from '../layout/use-api';
import { BarChart, ColumnChart } from './BarChart';
import { dayInput, startOfLocalDay } from './days';
import { statsApi } from './stats-api';

/** Statistics from the stats API only (clear fields and outcomes), with a CSV export. */
export function StatsPage() {
  const { t, formatNumber } = useI18n();
  const [from, setFrom] = useState(() => dayInput(new Date(Date.now() - 365 * 86_400_000)));
  // "Đến ngày" is inclusive: today by default, and from = to shows one day.
  const [to, setTo] = useState(() => dayInput(new Date()));
  const [rangeError, setRangeError] = useState<string | undefined>(undefined);
  const me = useUser();
  // A province moderator's statistics are their province's (the API refuses any other).
  const fixedProvince = me.role === 'moderator' ? me.provinceCode : null;
  const [provinceCode, setProvinceCode] = useState(fixedProvince ?? '');
  const provinces = useProvinces();
  const [applied, setApplied] = useState({ from, to, provinceCode });
  // Days in the user's time zone; the API's `to` is exclusive, so send the next day's start.
  const query = {
    from: startOfLocalDay(applied.from),
    to: startOfLocalDay(applied.to, 1),
    ...(applied.provinceCode ? { provinceCode: applied.provinceCode } : {}),
  };
  const stats = useApi(
    (signal) => statsApi.get(query, signal),
    [applied.from, applied.to, applied.provinceCode],
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!from || !to) {
      setRangeError(t.validation.required(!from ? t.stats.from : t.stats.to));
      return;
    }
    if (to < from) {
      setRangeError(t.validation.dateRange);
      return;
    }
    setRangeError(undefined);
    setApplied({ from, to, provinceCode });
  };

  // Figures of an earlier query never stay on screen under an error.
  const data = stats.error ? undefined : stats.data;
  const outcomes: Partial<Record<TipOutcome, number>> = data?.outcomes ?? {};
  return (
    <>
      <PageTitle
        actions={
          <a className="btn" href={buildUrl('/stats/export.csv', query)} download data-testid="stats-export">
            {t.stats.export}
          </a>
        }
      >
        {t.stats.title}
      </PageTitle>
      <p className="muted">{t.stats.intro}</p>
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
        <Field label={t.stats.to} error={rangeError}>
          {(id, describedBy) => (
            <input
              id={id}
              type="date"
              value={to}
              min={from || undefined}
              onChange={(event) => setTo(event.target.value)}
              aria-invalid={rangeError ? true : undefined}
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
          disabled={fixedProvince !== null}
        />
        <div className="field">
          <button type="submit" className="btn btn-primary">
            {t.stats.apply}
          </button>
        </div>
      </form>
      <AsyncState state={stats} context="stats" />
      {data ? (
        <div data-testid="stats">
          <div className="kpis">
            <Kpi label={t.stats.total} value={formatNumber(data.total)} testId="kpi-total" />
            <Kpi label={t.deadline.overdue} value={formatNumber(data.overdue)} testId="kpi-overdue" />
            <Kpi
              label={t.stats.casesOpened}
              value={formatNumber(outcomes.case_opened ?? 0)}
              testId="kpi-cases-opened"
            />
            <Kpi label={t.stats.arrests} value={formatNumber(outcomes.arrests ?? 0)} testId="kpi-arrests" />
            <Kpi
              label={t.stats.hotSpotsCleared}
              value={formatNumber(outcomes.hot_spot_cleared ?? 0)}
              testId="kpi-hot-spots"
            />
            <Kpi
              label={t.stats.medianRoute}
              value={data.medianHoursToRoute === null ? '–' : t.stats.hours(data.medianHoursToRoute)}
              testId="kpi-median-route"
            />
            <Kpi
              label={t.stats.medianAck}
              value={
                data.medianHoursToAcknowledge === null ? '–' : t.stats.hours(data.medianHoursToAcknowledge)
              }
              testId="kpi-median-ack"
            />
          </div>
          <div className="grid-2">
            <section className="card" aria-labelledby="by-status">
              <h2 id="by-status">{t.stats.byStatus}</h2>
              <Chart
                title={t.stats.byStatus}
                rows={data.byStatus.map((row) => ({ label: t.status[row.key] ?? row.key, value: row.count }))}
                testId="chart-status"
              />
            </section>
            <section className="card" aria-labelledby="by-category">
              <h2 id="by-category">{t.stats.byCategory}</h2>
              <Chart
                title={t.stats.byCategory}
                rows={data.byCategory.map((row) => ({
                  label: t.category[row.key] ?? row.key,
                  value: row.count,
                }))}
                testId="chart-category"
              />
            </section>
            <section className="card" aria-labelledby="by-month">
              <h2 id="by-month">{t.stats.byMonth}</h2>
              {data.byMonth.length === 0 ? (
                <p className="muted">{t.stats.noData}</p>
              ) : (
                <ColumnChart
                  title={t.stats.byMonth}
                  rows={data.byMonth.map((row) => ({ label: row.key, value: row.count }))}
                  testId="chart-month"
                />
              )}
            </section>
            <section className="card" aria-labelledby="by-commune">
              <h2 id="by-commune">{t.stats.byCommune}</h2>
              <Chart
                title={t.stats.byCommune}
                rows={data.byCommune.slice(0, 10).map((row) => ({
                  label: row.communeName ?? row.communeCode ?? t.tip.communeUnknown,
                  value: row.count,
                }))}
                testId="chart-commune"
              />
            </section>
            <section className="card" aria-labelledby="outcomes">
              <h2 id="outcomes">{t.stats.outcomes}</h2>
              <Chart
                title={t.stats.outcomes}
                rows={TipOutcomeSchema.options
                  .filter((key) => key in outcomes)
                  .map((key) => ({ label: t.outcome[key], value: outcomes[key] ?? 0 }))}
                testId="chart-outcomes"
              />
            </section>
          </div>
        </div>
      ) : null}
    </>
  );
}

function Chart({
  title,
  rows,
  testId,
}: {
  title: string;
  rows: { label: string; value: number }[];
  testId: string;
}) {
  const { t } = useI18n();
  if (rows.length === 0 || rows.every((row) => row.value === 0))
    return <p className="muted">{t.stats.noData}</p>;
  return <BarChart title={title} rows={rows} testId={testId} />;
}

function Kpi({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="kpi">
      <div className="value" data-testid={testId}>
        {value}
      </div>
      <div className="label">{label}</div>
    </div>
  );
}
