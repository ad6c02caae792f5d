import type { StatsResponse } from '@tinbao/shared/api/stats';
import type { TipOutcome } from '@tinbao/shared/api/tips';
import { useI18n } from '../i18n/i18n';

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

/** The key figures of the period: tips, overdue, outcomes that count, and the median times. */
export function StatsKpis({ figures }: { figures: StatsResponse }) {
  const { t, formatNumber } = useI18n();
  const outcomes: Partial<Record<TipOutcome, number>> = figures.outcomes;
  const hours = (value: number | null) => (value === null ? '–' : t.stats.hours(value));
  return (
    <div className="kpis">
      <Kpi label={t.stats.total} value={formatNumber(figures.total)} testId="kpi-total" />
      <Kpi label={t.deadline.overdue} value={formatNumber(figures.overdue)} testId="kpi-overdue" />
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
      <Kpi label={t.stats.medianRoute} value={hours(figures.medianHoursToRoute)} testId="kpi-median-route" />
      <Kpi
        label={t.stats.medianAck}
        value={hours(figures.medianHoursToAcknowledge)}
        testId="kpi-median-ack"
      />
    </div>
  );
}
