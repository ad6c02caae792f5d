import { StatsQuerySchema, StatsResponseSchema } from '@tinbao/shared/api/stats';
import { appendAuditEvent } from '../audit/audit-log';
import { type AnyRouteSpec, defineRoute } from '../openapi/route-spec';
import type { Db } from '../platform/db';
import { computeStats, scopeWindow, statsCsv, statsWindow } from './service';

export function statsRouteSpecs(deps: { db: Db; now?: () => Date }): AnyRouteSpec[] {
  const { db } = deps;
  const now = () => deps.now?.() ?? new Date();
  return [
    defineRoute({
      method: 'get',
      path: '/stats',
      operationId: 'getStats',
      summary: 'Counts per commune, category, status, month; outcomes; median hours to route and acknowledge',
      tag: 'stats',
      permission: 'stats.read',
      query: StatsQuerySchema,
      response: StatsResponseSchema,
      handler: ({ auth, query }) => computeStats(db, scopeWindow(statsWindow(query, now()), auth), now()),
    }),
    defineRoute({
      method: 'get',
      path: '/stats/export.csv',
      operationId: 'exportStatsCsv',
      summary:
        'The statistics as CSV (one row per month, commune, category, status); audited as stats.exported',
      tag: 'stats',
      permission: 'stats.read',
      query: StatsQuerySchema,
      response: { contentType: 'text/csv', description: 'UTF-8 with BOM, CRLF line ends' },
      handler: async ({ auth, query, res }) => {
        const window = scopeWindow(statsWindow(query, now()), auth);
        const { csv, rows } = await statsCsv(db, window);
        await db.transaction((tx) =>
          appendAuditEvent(tx, {
            actorType: 'user',
            actorId: auth.userId,
            action: 'stats.exported',
            subjectType: 'stats',
            details: {
              from: window.from.toISOString(),
              to: window.to.toISOString(),
              provinceCode: window.provinceCode,
              rows,
            },
          }),
        );
        const day = window.to.toISOString().slice(0, 10);
        res
          .status(200)
          .set({
            'Content-Type': 'text/csv; charset=utf-8',
            'Content-Disposition': `attachment; filename="tinbao-stats-${day}.csv"`,
            'Cache-Control': 'no-store',
          })
          .send(csv);
        return undefined;
      },
    }),
  ];
}
