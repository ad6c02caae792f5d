import { useApi } from '../layout/use-api';
import { periodQuery, type StatsPeriod } from './days';
import { statsApi } from './stats-api';

/** The statistics of a period, asked again when it changes, and the link to the same as CSV. */
export function useStats(period: StatsPeriod) {
  const query = periodQuery(period);
  const stats = useApi(
    (signal) => statsApi.get(query, signal),
    [period.from, period.to, period.provinceCode],
  );
  // Figures of an earlier period never stay on screen under an error.
  const figures = stats.error ? undefined : stats.data;
  return { stats, figures, exportUrl: statsApi.exportUrl(query) };
}
