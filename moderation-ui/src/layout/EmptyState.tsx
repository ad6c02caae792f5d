import type { ReactNode } from 'react';

/** What a list or table shows instead of rows («Không có», «Chưa có số liệu.»): one muted line. */
export function EmptyState({
  children,
  className,
  testId,
}: {
  children: ReactNode;
  /** `card` when the empty line stands alone in the page (the tip queue). */
  className?: string;
  testId?: string;
}) {
  return (
    <p className={className ? `${className} muted` : 'muted'} data-testid={testId}>
      {children}
    </p>
  );
}
