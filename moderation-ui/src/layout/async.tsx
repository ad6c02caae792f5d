import type { ReactNode } from 'react';
import { type ErrorContext, ErrorNotice, Loading } from './ui';
import type { ApiState } from './use-api';

/**
 * The loading and error lines of anything fed by useApi: "Đang tải…" until the first answer,
 * the error with a retry button after a failure (earlier data stays shown under it).
 */
export function AsyncState<T>({ state, context }: { state: ApiState<T>; context?: ErrorContext }) {
  return (
    <>
      {state.loading && state.data === undefined ? <Loading /> : null}
      <ErrorNotice error={state.error} onRetry={state.reload} {...(context ? { context } : {})} />
    </>
  );
}

/** A titled card over a useApi state: its loading and error lines, then the content once data came. */
export function AsyncCard<T>({
  state,
  title,
  titleId,
  testId,
  context,
  children,
}: {
  state: ApiState<T>;
  title: ReactNode;
  titleId: string;
  testId?: string;
  context?: ErrorContext;
  children(data: T): ReactNode;
}) {
  return (
    <section className="card" aria-labelledby={titleId} data-testid={testId}>
      <h2 id={titleId}>{title}</h2>
      <AsyncState state={state} {...(context ? { context } : {})} />
      {state.data !== undefined ? children(state.data) : null}
    </section>
  );
}
