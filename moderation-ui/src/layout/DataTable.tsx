import type { ReactNode } from 'react';
import { EmptyState } from './EmptyState';

export interface Column<Row> {
  /** The column's header; also each cell's data-label, which the phone layout shows before the value. */
  header: string;
  cell(row: Row): ReactNode;
}

/** A table needs a name for screen readers: the heading of its card, or a caption of its own. */
type TableName = { labelledBy: string; caption?: never } | { caption: string; labelledBy?: never };

/**
 * The one table of the UI (admin lists): header cells with scope="col", a name, every cell
 * labelled for the stacked phone layout, and the empty state in place of a table with no rows.
 */
export function DataTable<Row>({
  rows,
  columns,
  rowKey,
  rowProps,
  empty,
  testId,
  ...name
}: TableName & {
  rows: readonly Row[];
  columns: readonly Column<Row>[];
  rowKey(row: Row): string;
  /** Attributes of a row's <tr> (data-testid, data-* that tests and styles find it by). */
  rowProps?(row: Row): Record<`data-${string}`, string>;
  /** The line shown when there are no rows. */
  empty: ReactNode;
  testId?: string;
}) {
  if (rows.length === 0)
    return <EmptyState testId={testId ? `${testId}-empty` : undefined}>{empty}</EmptyState>;
  return (
    <table className="table" aria-labelledby={name.labelledBy} data-testid={testId}>
      {name.caption ? <caption className="visually-hidden">{name.caption}</caption> : null}
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.header} scope="col">
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} {...rowProps?.(row)}>
            {columns.map((column) => (
              <td key={column.header} data-label={column.header}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
