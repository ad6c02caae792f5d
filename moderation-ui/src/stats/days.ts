import type { Messages } from '../i18n/vi';

// Day arithmetic for the statistics period, kept apart from the page so it can be tested without a DOM.

/** A local calendar day as the value of <input type="date">. */
export const dayInput = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

/** Midnight at the start of a day (plus `addDays`) in the user's time zone, as ISO. */
export function startOfLocalDay(day: string, addDays = 0): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year!, month! - 1, date! + addDays).toISOString();
}

/** The statistics period as the form holds it: two <input type="date"> days (both included) and a province. */
export interface StatsPeriod {
  from: string;
  to: string;
  provinceCode: string;
}

/** The first period shown: the last 365 days up to today. */
export function defaultPeriod(provinceCode: string, now = new Date()): StatsPeriod {
  return { from: dayInput(new Date(now.getTime() - 365 * 86_400_000)), to: dayInput(now), provinceCode };
}

/** Why the form's days cannot be asked for, or undefined: both are needed, `to` not before `from`. */
export function periodProblem(t: Messages, period: Pick<StatsPeriod, 'from' | 'to'>): string | undefined {
  if (!period.from || !period.to) return t.validation.required(!period.from ? t.stats.from : t.stats.to);
  if (period.to < period.from) return t.validation.dateRange;
  return undefined;
}

/**
 * The API's query for a period: days in the user's time zone, and since the API's `to` is
 * exclusive, the start of the day after the last one.
 */
export function periodQuery(period: StatsPeriod) {
  return {
    from: startOfLocalDay(period.from),
    to: startOfLocalDay(period.to, 1),
    ...(period.provinceCode ? { provinceCode: period.provinceCode } : {}),
  };
}
