import type { TimelineEvent } from '@tinbao/shared/api/tips';
import { useI18n } from '../i18n/i18n';

const SHOWN_DETAILS = ['reason', 'outcome', 'unitCode', 'unitCodes', 'days'];

function describeDetails(details: Record<string, unknown>, status: Record<string, string>): string {
  const parts: string[] = [];
  if (typeof details.from === 'string' && typeof details.to === 'string')
    parts.push(`${status[details.from] ?? details.from} → ${status[details.to] ?? details.to}`);
  for (const key of SHOWN_DETAILS) {
    const value = details[key];
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) parts.push(`${key}: ${value.join(', ')}`);
    else if (typeof value !== 'object') parts.push(`${key}: ${String(value)}`);
  }
  return parts.join(' · ');
}

/** The audit events of one tip, oldest first. */
export function TipTimeline({ events }: { events: TimelineEvent[] }) {
  const { t, formatDateTime } = useI18n();
  if (events.length === 0) return <p className="muted">{t.timeline.empty}</p>;
  return (
    <ol className="timeline" data-testid="tip-timeline">
      {events.map((event) => {
        const actor =
          event.actorType === 'system'
            ? t.timeline.system
            : event.actorType === 'resident'
              ? t.timeline.resident
              : (event.actorName ?? event.actorId ?? '');
        const details = describeDetails(event.details, t.status);
        return (
          <li key={event.seq} data-testid="timeline-event" data-action={event.action}>
            <div>
              <strong>{t.timeline.actions[event.action] ?? event.action}</strong> — {actor}
            </div>
            {details ? <div className="muted">{details}</div> : null}
            <div className="when">
              <time dateTime={event.occurredAt}>{formatDateTime(event.occurredAt)}</time>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
