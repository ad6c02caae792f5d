import type { TipStatus } from '@tinbao/shared';
import { type ApiErrorCode, InvalidRequestErrorSchema, TIP_CONFLICT_CODES } from '@tinbao/shared/api/errors';
import { isOpenStatus } from '@tinbao/shared/permissions/index';
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

/** A label above its control, with an optional hint and error; the control gets the id. */
export function Field({
  label,
  hint,
  error,
  children,
  className,
}: {
  label: ReactNode;
  hint?: ReactNode;
  /** A validation message shown under the control (and referenced by aria-describedby). */
  error?: string | undefined;
  children: (id: string, describedBy: string | undefined) => ReactNode;
  className?: string;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${className ? ` ${className}` : ''}${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children(id, describedBy)}
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={errorId} data-testid="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * Where an error is shown: the tip-conflict text belongs to tip actions only; other pages
 * get their own fallback for codes we do not know.
 */
export type ErrorContext = 'tip' | 'user' | 'unit' | 'rule' | 'password' | 'stats' | 'retention';

/** The field a 400 names: `issues[0].path` or a `body.field:` prefix of the message. */
function invalidFieldLabel(t: Messages, error: ApiError): string | null {
  const issues = InvalidRequestErrorSchema.safeParse(error.body).data?.issues ?? [];
  const paths = [
    ...issues.map((issue) => issue.path),
    /^((?:body|query|params)\.[\w.]+):/.exec(error.message)?.[1] ?? '',
  ];
  for (const path of paths) {
    // `body.communeCodes.3` → communeCodes; `body.username` → username.
    const segments = path.split('.').filter((part) => part && !/^\d+$/.test(part));
    for (const segment of segments.slice(1).reverse()) {
      const label = t.fields[segment];
      if (label) return label;
    }
  }
  return null;
}

/** One Vietnamese (or English) sentence for any failure; never the server's raw text. */
export function errorMessage(t: Messages, error: unknown, context?: ErrorContext): string {
  if (error instanceof NetworkError) return t.errors.network;
  if (error instanceof ApiError) {
    if (context === 'password' && error.code === 'invalid_credentials') return t.password.wrongCurrent;
    // Every code the API answers with has an entry; null leaves it to the status and the page.
    const known = error.code.startsWith('http_') ? null : t.errors.codes[error.code as ApiErrorCode];
    if (known) return known;
    if ((TIP_CONFLICT_CODES as readonly string[]).includes(error.code))
      return context === 'tip' ? t.errors.conflict : t.errors.conflictGeneric;
    if (error.status === 400 || error.code === 'invalid_request') {
      const field = invalidFieldLabel(t, error);
      return field ? t.errors.invalidField(field) : t.errors.invalid;
    }
    if (error.status === 403) return t.errors.forbidden;
    if (error.status === 404) return t.errors.notFound;
    if (error.status === 409) return context === 'tip' ? t.errors.conflict : t.errors.conflictGeneric;
    if (error.status === 429) return t.errors.rateLimited;
  }
  return (context && t.errors.fallback[context]) || t.errors.generic;
}

export function ErrorNotice({
  error,
  onRetry,
  context,
}: {
  error: unknown;
  onRetry?: () => void;
  context?: ErrorContext;
}) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <div className="notice notice-error" role="alert" data-testid="error-notice">
      <span>{errorMessage(t, error, context)}</span>
      {onRetry ? (
        <Button variant="ghost" onClick={onRetry}>
          {t.retry}
        </Button>
      ) : null}
    </div>
  );
}

/** Client-side validation messages, listed once at the top of a form (fields show theirs too). */
export function ValidationSummary({ errors }: { errors: Record<string, string | undefined> }) {
  const { t } = useI18n();
  const messages = [...new Set(Object.values(errors).filter((m): m is string => Boolean(m)))];
  if (messages.length === 0) return null;
  return (
    <div className="notice notice-error" role="alert" data-testid="validation-errors">
      <div>
        <span>{t.validation.summary}</span>
        <ul>
          {messages.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      </div>
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

export function StatusBadge({ status }: { status: TipStatus }) {
  const { t } = useI18n();
  return (
    <Badge tone={`status-${status}`} testId="status-badge">
      {t.status[status]}
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

const DAY_MS = 86_400_000;

/** Days left until the legal deadline; overdue cases stand out (red, icon, text). */
export function DeadlineBadge({
  deadlineAt,
  status,
  overdue,
}: {
  deadlineAt: string | undefined | null;
  status: TipStatus;
  overdue?: boolean | undefined;
}) {
  const { t, formatDate } = useI18n();
  if (!deadlineAt || !isOpenStatus(status)) return null;
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
