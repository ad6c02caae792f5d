import type { TipSummary } from '@tinbao/shared/api/tips';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { EmptyState } from '../layout/EmptyState';
import { Link, navigate } from '../layout/router';
import { Button, DeadlineBadge, ErrorNotice, Loading, PriorityBadge, StatusBadge } from '../layout/ui';
import type { QueueState } from './use-tip-queue';

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName));

/**
 * The list of tips with keyboard navigation: j/k or the arrow keys move the selection,
 * Enter opens the selected tip, "Xem thêm" fetches the next keyset page.
 */
export function TipList({
  queue,
  hrefOf,
  emptyText,
}: {
  queue: QueueState;
  hrefOf(tip: TipSummary): string;
  emptyText: string;
}) {
  const { t, formatDateTime } = useI18n();
  const [active, setActive] = useState(-1);
  const links = useRef<(HTMLAnchorElement | null)[]>([]);
  const { items } = queue;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const focused = document.activeElement;
      const inList = focused instanceof HTMLElement && focused.closest('.tip-list') !== null;
      const onPage = !focused || focused === document.body || focused.tagName === 'H1';
      if (isTyping(event.target) || document.querySelector('dialog[open]')) return;
      const down = event.key === 'j' || event.key === 'ArrowDown';
      const up = event.key === 'k' || event.key === 'ArrowUp';
      if ((down || up) && items.length > 0) {
        // Arrows scroll the page unless the selection is already in the list.
        if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && !inList) return;
        event.preventDefault();
        const next = Math.min(items.length - 1, Math.max(0, active + (down ? 1 : -1)));
        setActive(next);
        links.current[next]?.focus();
      } else if (event.key === 'Enter' && onPage && active >= 0 && items[active]) {
        // Inside the list the focused link opens natively; on a button Enter stays the button's.
        event.preventDefault();
        navigate(hrefOf(items[active]));
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [items, active, hrefOf]);

  if (queue.loading) return <Loading />;
  return (
    <div>
      <ErrorNotice error={queue.error} onRetry={queue.reload} />
      {items.length === 0 && !queue.error ? (
        <EmptyState className="card" testId="queue-empty">
          {emptyText}
        </EmptyState>
      ) : (
        <ul className="tip-list" data-testid="tip-list">
          {items.map((tip, index) => (
            <li key={tip.id}>
              <Link
                to={hrefOf(tip)}
                className="tip-row"
                ref={(element: HTMLAnchorElement | null) => {
                  links.current[index] = element;
                }}
                aria-current={index === active ? 'true' : undefined}
                onFocus={() => setActive(index)}
                data-testid="tip-row"
                data-tip-id={tip.id}
                data-receipt={tip.receiptCode}
              >
                <span className="line1">
                  <span className="code">{tip.receiptCode}</span>
                  <StatusBadge status={tip.status} />
                  <PriorityBadge priority={tip.priority} />
                  <DeadlineBadge deadlineAt={tip.deadlineAt} status={tip.status} overdue={tip.overdue} />
                  {tip.unreadAnswers ? (
                    <span className="badge badge-unread" data-testid="unread-answers">
                      {t.questions.unread(tip.unreadAnswers)}
                    </span>
                  ) : null}
                </span>
                <span className="line2">
                  {t.category[tip.category] ?? tip.category} · {t.venue[tip.venueType] ?? tip.venueType} ·{' '}
                  {tip.communeCode === null ? (
                    <span className="badge badge-deadline-soon" data-testid="commune-unknown">
                      {t.tip.communeUnknown}
                    </span>
                  ) : (
                    (tip.communeName ?? tip.communeCode)
                  )}
                  {tip.provinceName ? `, ${tip.provinceName}` : ''} · {t.queue.received}{' '}
                  {formatDateTime(tip.receivedAt)}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      <div className="list-footer">
        <span className="muted" aria-live="polite" data-testid="queue-shown">
          {t.queue.shown(items.length)}
        </span>
        {queue.hasMore ? (
          <Button onClick={queue.loadMore} busy={queue.loadingMore} data-testid="load-more">
            {t.queue.loadMore}
          </Button>
        ) : null}
        <span className="kbd-hint">{t.queue.keyboardHint}</span>
      </div>
    </div>
  );
}
