import { useId, useSyncExternalStore } from 'react';

// Phones draw on a narrower canvas, so the SVG is scaled down less and labels stay readable.
const NARROW = '(max-width: 700px)';
function useNarrow(): boolean {
  return useSyncExternalStore(
    (listener) => {
      const query = window.matchMedia(NARROW);
      query.addEventListener('change', listener);
      return () => query.removeEventListener('change', listener);
    },
    () => window.matchMedia(NARROW).matches,
  );
}

export interface ChartRow {
  label: string;
  value: number;
}

/** Horizontal bars in inline SVG: no chart library, readable on a phone, labelled for screen readers. */
export function BarChart({ title, rows, testId }: { title: string; rows: ChartRow[]; testId?: string }) {
  const titleId = useId();
  const narrow = useNarrow();
  const max = Math.max(1, ...rows.map((row) => row.value));
  const rowHeight = 28;
  const labelWidth = narrow ? 170 : 190;
  const width = narrow ? 360 : 600;
  const maxLabel = narrow ? 20 : 28;
  const barSpace = width - labelWidth - 50;
  const height = Math.max(rowHeight, rows.length * rowHeight);
  return (
    <figure className="chart" data-testid={testId} style={{ margin: 0 }}>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={titleId}>
        <title id={titleId}>{`${title}: ${rows.map((row) => `${row.label} ${row.value}`).join(', ')}`}</title>
        {rows.map((row, index) => {
          const y = index * rowHeight;
          const barWidth = (row.value / max) * barSpace;
          return (
            <g key={row.label} transform={`translate(0 ${y})`}>
              <text x={labelWidth - 8} y={rowHeight / 2 + 4} textAnchor="end">
                {row.label.length > maxLabel ? `${row.label.slice(0, maxLabel - 1)}…` : row.label}
              </text>
              <rect
                className="bar"
                x={labelWidth}
                y={5}
                width={Math.max(row.value > 0 ? 2 : 0, barWidth)}
                height={rowHeight - 10}
                rx={3}
              />
              <text x={labelWidth + barWidth + 6} y={rowHeight / 2 + 4}>
                {row.value}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/** Columns per month. */
export function ColumnChart({ title, rows, testId }: { title: string; rows: ChartRow[]; testId?: string }) {
  const titleId = useId();
  const narrow = useNarrow();
  const max = Math.max(1, ...rows.map((row) => row.value));
  const width = narrow ? 360 : 600;
  const height = 220;
  // On a phone, label every other month when there are many: 'YYYY-MM' → 'MM/YY'.
  const labelEvery = narrow && rows.length > 6 ? 2 : 1;
  const shortLabel = (label: string) =>
    narrow && /^\d{4}-\d{2}$/.test(label) ? `${label.slice(5)}/${label.slice(2, 4)}` : label;
  const bottom = 30;
  const columnWidth = rows.length > 0 ? (width - 20) / rows.length : width;
  return (
    <figure className="chart" data-testid={testId} style={{ margin: 0 }}>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={titleId}>
        <title id={titleId}>{`${title}: ${rows.map((row) => `${row.label} ${row.value}`).join(', ')}`}</title>
        <line className="axis" x1={10} x2={width - 10} y1={height - bottom} y2={height - bottom} />
        {rows.map((row, index) => {
          const barHeight = (row.value / max) * (height - bottom - 24);
          const x = 10 + index * columnWidth;
          return (
            <g key={row.label}>
              <rect
                className="bar"
                x={x + columnWidth * 0.15}
                y={height - bottom - barHeight}
                width={columnWidth * 0.7}
                height={barHeight}
                rx={3}
              />
              <text x={x + columnWidth / 2} y={height - bottom - barHeight - 6} textAnchor="middle">
                {row.value}
              </text>
              {index % labelEvery === 0 ? (
                <text x={x + columnWidth / 2} y={height - 10} textAnchor="middle">
                  {shortLabel(row.label)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
