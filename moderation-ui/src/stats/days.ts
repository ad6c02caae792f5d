// Day arithmetic for the statistics period, kept apart from the page so it can be tested without a DOM.

/** A local calendar day as the value of <input type="date">. */
export const dayInput = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

/** Midnight at the start of a day (plus `addDays`) in the user's time zone, as ISO. */
export function startOfLocalDay(day: string, addDays = 0): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year!, month! - 1, date! + addDays).toISOString();
}
