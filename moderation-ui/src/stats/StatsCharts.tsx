import type { StatsResponse } from '@tinbao/shared/api/stats';
import { TipOutcomeSchema } from '@tinbao/shared/api/tips';
import { useI18n } from '../i18n/i18n';
import { EmptyState } from '../layout/EmptyState';
import { BarChart, type ChartRow, ColumnChart } from './BarChart';

/** A titled card with one chart, or «Chưa có số liệu.» when nothing was counted. */
function ChartCard({
  id,
  title,
  rows,
  testId,
  columns = false,
}: {
  id: string;
  title: string;
  rows: ChartRow[];
  testId: string;
  /** Columns over time (months) instead of horizontal bars. */
  columns?: boolean;
}) {
  const { t } = useI18n();
  const Chart = columns ? ColumnChart : BarChart;
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {rows.length === 0 || rows.every((row) => row.value === 0) ? (
        <EmptyState>{t.stats.noData}</EmptyState>
      ) : (
        <Chart title={title} rows={rows} testId={testId} />
      )}
    </section>
  );
}

/** The period's tips by status, category, month, commune (the ten busiest) and outcome. */
export function StatsCharts({ figures }: { figures: StatsResponse }) {
  const { t } = useI18n();
  const outcomes: Partial<Record<string, number>> = figures.outcomes;
  return (
    <div className="grid-2">
      <ChartCard
        id="by-status"
        title={t.stats.byStatus}
        rows={figures.byStatus.map((row) => ({ label: t.status[row.key] ?? row.key, value: row.count }))}
        testId="chart-status"
      />
      <ChartCard
        id="by-category"
        title={t.stats.byCategory}
        rows={figures.byCategory.map((row) => ({ label: t.category[row.key] ?? row.key, value: row.count }))}
        testId="chart-category"
      />
      <ChartCard
        id="by-month"
        title={t.stats.byMonth}
        rows={figures.byMonth.map((row) => ({ label: row.key, value: row.count }))}
        testId="chart-month"
        columns
      />
      <ChartCard
        id="by-commune"
        title={t.stats.byCommune}
        rows={figures.byCommune.slice(0, 10).map((row) => ({
          label: row.communeName ?? row.communeCode ?? t.tip.communeUnknown,
          value: row.count,
        }))}
        testId="chart-commune"
      />
      <ChartCard
        id="outcomes"
        title={t.stats.outcomes}
        rows={TipOutcomeSchema.options
          .filter((key) => key in outcomes)
          .map((key) => ({ label: t.outcome[key], value: outcomes[key] ?? 0 }))}
        testId="chart-outcomes"
      />
    </div>
  );
}
