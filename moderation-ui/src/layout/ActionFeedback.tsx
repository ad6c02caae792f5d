import { type ErrorContext, ErrorNotice, Notice } from './ui';
import type { ActionState } from './use-action';

/** The success notice and the error of a page's last change (useAction), above the page's content. */
export function ActionFeedback({
  action,
  context,
}: {
  action: Pick<ActionState, 'notice' | 'error'>;
  context: ErrorContext;
}) {
  return (
    <>
      {action.notice ? <Notice tone="success">{action.notice}</Notice> : null}
      <ErrorNotice error={action.error} context={context} />
    </>
  );
}
