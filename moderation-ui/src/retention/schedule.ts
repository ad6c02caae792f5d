import { PURGE_SCHEDULE } from '@tinbao/shared/jobs';

/** The daily purge's time as staff read it, `02:30`. */
export function purgeTimeLabel(schedule: { hour: number; minute: number } = PURGE_SCHEDULE): string {
  return `${String(schedule.hour).padStart(2, '0')}:${String(schedule.minute).padStart(2, '0')}`;
}

/** Whether a tip's purge date has come (it goes at the next run). */
export function isDue(purgeAt: string, now: string): boolean {
  return new Date(purgeAt).getTime() <= new Date(now).getTime();
}

/** A legal hold's grounds as the admin typed them: trimmed, 1–500 characters (the API's rule). */
export function holdReasonProblem(reason: string): 'required' | 'tooLong' | null {
  const trimmed = reason.trim();
  if (!trimmed) return 'required';
  return trimmed.length > 500 ? 'tooLong' : null;
}
