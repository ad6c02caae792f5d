import { type ButtonHTMLAttributes, type ReactNode, useEffect, useId, useRef } from 'react';
import { ApiError, NetworkError } from '../api/client';
import { useI18n } from '../i18n/i18n';
import type { Messages } from '../i18n/vi';

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost';
  busy?: boolean;
};

export function Button({
  variant = 'secondary',
  busy,
  className,
  disabled,
  type,
  children,
  ...rest
}: ButtonProps) {
  return (
    <button
      type={type ?? 'button'}
      className={`btn btn-${variant}${className ? ` ${className}` : ''}`}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {children}
    </button>
  );
}

/** A label above its control, with an optional hint; the control gets the id. */
export function Field({
  label,
  hint,
  children,
  className,
}: {
  label: ReactNode;
  hint?: ReactNode;
  children: (id: string, describedBy: string | undefined) => ReactNode;
  className?: string;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children(id, hintId)}
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function errorMessage(t: Messages, error: unknown): string {
  if (error instanceof NetworkError) return t.errors.network;
  if (error instanceof ApiError) {
    if (error.status === 403) return t.errors.forbidden;
    if (error.status === 404) return t.errors.notFound;
    if (error.status === 409) return t.errors.conflict;
    if (error.status === 429) return t.errors.rateLimited;
    if (error.status === 400) return `${t.errors.invalid} ${error.message}`;
  }
  return t.errors.generic;
}

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <div className="notice notice-error" role="alert" data-testid="error-notice">
      <span>{errorMessage(t, error)}</span>
      {onRetry ? (
        <Button variant="ghost" onClick={onRetry}>
          {t.retry}
        </Button>
      ) : null}
    </div>
  );
}

export function Notice({ children, tone = 'info' }: { children: ReactNode; tone?: 'info' | 'success' }) {
  return (
    <div className={`notice notice-${tone}`} role="status">
      {children}
    </div>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="loading" role="status" aria-live="polite">
      {t.loading}
    </p>
  );
}

/** The page title, focused on navigation so screen readers announce the new page. */
export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <div className="page-title">
      <h1 ref={ref} tabIndex={-1}>
        {children}
      </h1>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </div>
  );
}

/** A native modal dialog: focus trap, Escape and inert background come from the browser. */
export function Dialog({
  open,
  title,
  onClose,
  children,
  testId,
}: {
  open: boolean;
  title: ReactNode;
  onClose(): void;
  children: ReactNode;
  testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      data-testid={testId}
      onClose={onClose}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      {open ? (
        <>
          <h2 id={titleId}>{title}</h2>
          {children}
        </>
      ) : null}
    </dialog>
  );
}

export function Badge({ tone, children, testId }: { tone: string; children: ReactNode; testId?: string }) {
  return (
    <span className={`badge badge-${tone}`} data-testid={testId}>
      {children}
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  return (
    <Badge tone={`status-${status}`} testId="status-badge">
      {t.status[status] ?? status}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: number | string | undefined }) {
  const { t } = useI18n();
  const high = priority === 2 || priority === 'high';
  if (!high) return null;
  return (
    <Badge tone="high" testId="priority-badge">
      {t.priority.high}
    </Badge>
  );
}

const OPEN_STATUSES = new Set(['new', 'in_review', 'validated', 'routed', 'acknowledged']);
const DAY_MS = 86_400_000;

/** Days left until the legal deadline; overdue cases stand out (red, icon, text). */
export function DeadlineBadge({
  deadlineAt,
  status,
  overdue,
}: {
  deadlineAt: string | undefined | null;
  status: string;
  overdue?: boolean | undefined;
}) {
  const { t, formatDate } = useI18n();
  if (!deadlineAt || !OPEN_STATUSES.has(status)) return null;
  const remaining = new Date(deadlineAt).getTime() - Date.now();
  const isOverdue = overdue ?? remaining < 0;
  const days = Math.ceil(Math.abs(remaining) / DAY_MS);
  const tone = isOverdue ? 'overdue' : days <= 3 ? 'soon' : 'ok';
  return (
    <Badge tone={`deadline-${tone}`} testId={isOverdue ? 'overdue-badge' : 'deadline-badge'}>
      <span title={`${t.deadline.label}: ${formatDate(deadlineAt)}`}>
        {isOverdue
          ? `⚠ ${t.deadline.overdueBy(Math.max(1, Math.floor(-remaining / DAY_MS)))}`
          : t.deadline.dueIn(days)}
      </span>
    </Badge>
  );
}
