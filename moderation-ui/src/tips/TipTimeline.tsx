import type { TipQuestion } from '@tinbao/shared/api/questions';
import type { TimelineEvent } from '@tinbao/shared/api/tips';
import { useId, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { staffLabel } from './staff-label';

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

const VIEW_ACTIONS = new Set([
  'tip.decrypted',
  'tip.photo_decrypted',
  'tip.notes_decrypted',
  'tip.questions_decrypted',
]);

/** The decrypted text a question event stands for: the question, or the resident's answer. */
function questionTextOf(event: TimelineEvent, questions: TipQuestion[] | undefined): string | undefined {
  const id = event.details.questionId;
  if (typeof id !== 'string' || !questions) return undefined;
  const question = questions.find((candidate) => candidate.id === id);
  if (!question) return undefined;
  if (event.action === 'tip.question_answered') return question.answer?.text;
  return question.text;
}

type Entry = { kind: 'event'; event: TimelineEvent } | { kind: 'views'; events: TimelineEvent[] };

/** Consecutive view events fold into one line, so status changes stand out. */
export function groupViews(events: TimelineEvent[]): Entry[] {
  const entries: Entry[] = [];
  for (const event of events) {
    const last = entries.at(-1);
    if (!VIEW_ACTIONS.has(event.action)) entries.push({ kind: 'event', event });
    else if (last?.kind === 'views') last.events.push(event);
    else entries.push({ kind: 'views', events: [event] });
  }
  return entries;
}

/** The audit events of one tip, oldest first; views folded unless asked for. */
export function TipTimeline({ events, questions }: { events: TimelineEvent[]; questions?: TipQuestion[] }) {
  const { t, formatDateTime } = useI18n();
  const [showViews, setShowViews] = useState(false);
  const toggleId = useId();
  if (events.length === 0) return <p className="muted">{t.timeline.empty}</p>;
  const actorOf = (event: TimelineEvent) =>
    event.actorType === 'system'
      ? t.timeline.system
      : event.actorType === 'resident'
        ? t.timeline.resident
        : staffLabel({ name: event.actorName, role: event.actorRole, id: event.actorId }, t.roles);
  const entries: Entry[] = showViews ? events.map((event) => ({ kind: 'event', event })) : groupViews(events);
  return (
    <>
      <label className="check timeline-toggle" htmlFor={toggleId}>
        <input
          id={toggleId}
          type="checkbox"
          checked={showViews}
          onChange={(event) => setShowViews(event.target.checked)}
          data-testid="timeline-show-views"
        />
        {t.timeline.showViews}
      </label>
      <ol className="timeline" data-testid="tip-timeline">
        {entries.map((entry) => {
          if (entry.kind === 'views') {
            const last = entry.events.at(-1)!;
            const openings = entry.events.filter((event) => event.action === 'tip.decrypted').length;
            const who = [...new Set(entry.events.map(actorOf).filter(Boolean))].join(', ');
            return (
              <li
                key={`views-${entry.events[0]!.seq}`}
                className="timeline-views"
                data-testid="timeline-views"
              >
                <div className="muted">{t.timeline.views(openings || entry.events.length, who)}</div>
                <div className="when">
                  <time dateTime={last.occurredAt}>{formatDateTime(last.occurredAt)}</time>
                </div>
              </li>
            );
          }
          const { event } = entry;
          const details = describeDetails(event.details, t.status);
          return (
            <li key={event.seq} data-testid="timeline-event" data-action={event.action}>
              <div>
                <strong>{t.timeline.actions[event.action] ?? event.action}</strong> — {actorOf(event)}
              </div>
              {details ? <div className="muted">{details}</div> : null}
              {questionTextOf(event, questions) ? (
                <div style={{ whiteSpace: 'pre-wrap' }} data-testid="timeline-question-text">
                  «{questionTextOf(event, questions)}»
                </div>
              ) : null}
              <div className="when">
                <time dateTime={event.occurredAt}>{formatDateTime(event.occurredAt)}</time>
              </div>
            </li>
          );
        })}
      </ol>
    </>
  );
}
