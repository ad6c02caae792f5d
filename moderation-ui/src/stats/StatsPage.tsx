import { useState } from 'react';
import { useUser } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { AsyncState } from '../layout/async';
import { PageTitle } from '../layout/ui';
import { defaultPeriod } from './days';
import { StatsCharts } from './StatsCharts';
import { StatsKpis } from './StatsKpis';
import { StatsPeriodForm } from './StatsPeriodForm';
import { useStats } from './use-stats';

/** Statistics from the stats API only (clear fields and outcomes), with a CSV export. */
export function StatsPage() {
  const { t } = useI18n();
  const me = useUser();
  // A province moderator's statistics are their province's (the API refuses any other).
  const fixedProvince = me.role === 'moderator' ? me.provinceCode : null;
  const [initial] = useState(() => defaultPeriod(fixedProvince ?? ''));
  const [period, setPeriod] = useState(initial);
  const { stats, figures, exportUrl } = useStats(period);
  return (
    <>
      <PageTitle
        actions={
          <a className="btn" href={exportUrl} download data-testid="stats-export">
            {t.stats.export}
          </a>
        }
      >
        {t.stats.title}
      </PageTitle>
      <p className="muted">{t.stats.intro}</p>
      <StatsPeriodForm initial={initial} provinceLocked={fixedProvince !== null} onApply={setPeriod} />
      <AsyncState state={stats} context="stats" />
      {figures ? (
        <div data-testid="stats">
          <StatsKpis figures={figures} />
          <StatsCharts figures={figures} />
        </div>
      ) : null}
    </>
  );
}
