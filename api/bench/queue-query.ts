/**
 * The moderators' queue over 1,000,000 tips on the PostgreSQL server: p50/p99 per filter
 * combination, through the real service (listTips / countTips: the query plus the page's
 * routes and place names). Creates a scratch database, drops it at the end.
 *
 *   npm run bench -- queue-query        (TIPS=200000 for a quicker run)
 */
import { createLogger, generateKeyPair, loadAdminUnits } from '@tinbao/shared';
import { type TipListQueryInput, TipListQuerySchema } from '@tinbao/shared/api/tips';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { seedAdminUnits } from '../src/admin-units/seed';
import { openDatabase } from '../src/platform/db';
import { createScratchPostgresDatabase, dropScratchPostgresDatabase } from '../src/platform/test-database';
import type { Actor } from '../src/tips/access';
import type { TipsDeps } from '../src/tips/deps';
import { tipListQuery } from '../src/tips/queue/repository';
import { countTips, listTips } from '../src/tips/queue/service';

const TOTAL = Number(process.env.TIPS ?? 1_000_000);
const BATCH = 100_000;
const ITERATIONS = Number(process.env.ITERATIONS ?? 200);
const WARMUP = 10;

const log = (message: string) => console.log(`[queue-query] ${message}`);
const ms = (n: number) => `${n.toFixed(2)} ms`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const url = await createScratchPostgresDatabase();
  log(`scratch database ${new URL(url).pathname.slice(1)}`);
  const database = await openDatabase({ engine: 'postgres', url, poolSize: 4 });
  try {
    const db = database.db;
    const started = performance.now();
    await seedAdminUnits(db, loadAdminUnits(), (done, total) => {
      if (done === total) log(`administrative units and commune police units: ${total} rows`);
    });

    // Communes numbered 1..n so generate_series can pick one per tip; the order spreads tips unevenly (some busy communes).
    await db.execute(
      sql`CREATE TEMP TABLE bench_communes AS SELECT row_number() OVER (ORDER BY code) AS n, code, parent_code FROM admin_units WHERE level = 'commune'`,
    );
    const statuses = sql`ARRAY['new','new','new','in_review','validated','routed','routed','acknowledged','acknowledged','outcome_reported','outcome_reported','outcome_reported','closed','closed','closed','closed','closed','rejected','rejected','duplicate']`;
    const categories = sql`ARRAY['mua_ban','tang_tru_van_chuyen','to_chuc_chua_chap','su_dung','tu_diem','trong_cay','toi_pham_khac']`;
    const venues = sql`ARRAY['nha_rieng','karaoke','nha_nghi_khach_san','bar_vu_truong','quan_ca_phe','truong_hoc','noi_cong_cong','khu_vuc_bien_gioi','khac']`;
    const observed = sql`ARRAY['dang_dien_ra','hom_nay','hom_qua','trong_tuan','truoc_do']`;
    for (let from = 1; from <= TOTAL; from += BATCH) {
      const to = Math.min(TOTAL, from + BATCH - 1);
      // Busy communes: a skewed pick (squared) puts many tips in a few communes, as in real life.
      await db.execute(sql`
        INSERT INTO tips (id, receipt_code, status, category, province_code, commune_code, venue_type, observed,
                          channel, priority, submitted_at, received_at, deadline_at, envelope, version)
        SELECT gen_random_uuid(),
               'BENCH-' || i,
               (${statuses})[1 + (hashint4(i) & 2147483647) % 20],
               (${categories})[1 + (hashint4(i + 1) & 2147483647) % 7],
               c.parent_code,
               c.code,
               (${venues})[1 + (hashint4(i + 2) & 2147483647) % 9],
               (${observed})[1 + (hashint4(i + 3) & 2147483647) % 5],
               'telegram',
               CASE WHEN (hashint4(i + 4) & 2147483647) % 5 = 0 THEN 2 ELSE 1 END,
               t.received_at,
               t.received_at,
               t.received_at + interval '20 days',
               '\\x5442010100'::bytea,
               0
        FROM generate_series(${from}::int, ${to}::int) AS i
        CROSS JOIN LATERAL (SELECT date_trunc('milliseconds', now() - ((hashint4(i + 5) & 2147483647) % 31536000) * interval '1 second') AS received_at) AS t
        JOIN bench_communes AS c
          ON c.n = 1 + (((hashint4(i + 6) & 2147483647) % 3321)::bigint * ((hashint4(i + 7) & 2147483647) % 3321) / 3321)
      `);
      log(
        `tips ${to.toLocaleString('en')} / ${TOTAL.toLocaleString('en')} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
      );
    }
    // Routed tips and everything after routing are routed to their commune's police.
    await db.execute(sql`
      INSERT INTO tip_routes (tip_id, unit_id, routed_at, acknowledged_at, outcome)
      SELECT t.id, u.id, t.received_at + interval '2 hours',
             CASE WHEN t.status IN ('acknowledged','outcome_reported','closed') THEN t.received_at + interval '5 hours' END,
             CASE WHEN t.status IN ('outcome_reported','closed') THEN 'case_opened' END
      FROM tips AS t JOIN units AS u ON u.code = 'CA-' || t.commune_code
      WHERE t.status IN ('routed','acknowledged','outcome_reported','closed')
    `);
    // What autovacuum does on a live server: statistics and the visibility map (index-only counts).
    await db.execute(sql`VACUUM ANALYZE`);
    const [{ routes } = { routes: 0 }] = (
      await db.execute<{ routes: number }>(sql`SELECT count(*)::int AS routes FROM tip_routes`)
    ).rows as { routes: number }[];
    log(
      `loaded ${TOTAL.toLocaleString('en')} tips and ${routes.toLocaleString('en')} routes in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );

    // The busiest commune and its police unit: the heaviest officer inbox.
    const busy = (
      await db.execute<{ commune_code: string; province_code: string; unit_id: string }>(sql`
        SELECT t.commune_code, t.province_code, u.id AS unit_id FROM tips t JOIN units u ON u.code = 'CA-' || t.commune_code
        GROUP BY t.commune_code, t.province_code, u.id ORDER BY count(*) DESC LIMIT 1`)
    ).rows[0] as { commune_code: string; province_code: string; unit_id: string };

    const orgKeys = await generateKeyPair();
    // The queue emits no events: nothing subscribes here.
    const deps: TipsDeps = {
      db,
      orgKeys,
      events: { emit: async () => {} },
      logger: createLogger({ name: 'bench', level: 'warn' }),
    };
    const moderator: Actor = {
      userId: '00000000-0000-4000-8000-000000000001',
      role: 'moderator',
      unitId: null,
    };
    const officer: Actor = {
      userId: '00000000-0000-4000-8000-000000000002',
      role: 'unit_officer',
      unitId: busy.unit_id,
    };
    const monthAgo = new Date(Date.now() - 30 * 24 * 3600 * 1000).toISOString();

    // A deep page: the cursor after four pages of the default queue.
    let cursor: string | undefined;
    for (let page = 0; page < 4; page++) {
      const result = await listTips(
        deps,
        moderator,
        TipListQuerySchema.parse({ status: 'new,in_review', ...(cursor ? { cursor } : {}) }),
      );
      cursor = result.nextCursor ?? undefined;
    }

    const combos: { name: string; actor: Actor; query?: TipListQueryInput; counts?: boolean }[] = [
      { name: 'queue: new+in_review, by priority', actor: moderator, query: { status: 'new,in_review' } },
      {
        name: 'queue: page 5 (keyset cursor)',
        actor: moderator,
        query: { status: 'new,in_review', ...(cursor ? { cursor } : {}) },
      },
      { name: 'all statuses, by priority', actor: moderator, query: {} },
      {
        name: 'province + new, by deadline',
        actor: moderator,
        query: { provinceCode: busy.province_code, status: 'new', sort: 'deadline' },
      },
      {
        name: 'commune, by received',
        actor: moderator,
        query: { communeCode: busy.commune_code, sort: 'received' },
      },
      { name: 'overdue, by deadline', actor: moderator, query: { overdue: 'true', sort: 'deadline' } },
      {
        name: 'category + last 30 days, by priority',
        actor: moderator,
        query: { category: 'trong_cay', from: monthAgo },
      },
      {
        name: 'unit filter (moderator)',
        actor: moderator,
        query: { unitId: busy.unit_id, status: 'routed,acknowledged' },
      },
      { name: 'officer inbox (busiest unit)', actor: officer, query: { sort: 'deadline' } },
      { name: 'counts per status (queue tabs)', actor: moderator, counts: true },
      {
        name: 'counts per status, one province',
        actor: moderator,
        counts: true,
        query: { provinceCode: busy.province_code },
      },
    ];

    console.log(
      `\nqueue query over ${TOTAL.toLocaleString('en')} tips, ${ITERATIONS} runs each (PostgreSQL server)`,
    );
    console.log(
      `${'combination'.padEnd(40)} ${'p50'.padStart(10)} ${'p99'.padStart(10)} ${'mean'.padStart(10)}  rows`,
    );
    for (const combo of combos) {
      const query = TipListQuerySchema.parse(combo.query ?? {});
      const run = async () =>
        combo.counts
          ? (await countTips(deps, combo.actor, { provinceCode: query.provinceCode })).total
          : (await listTips(deps, combo.actor, query)).items.length;
      let rows = 0;
      for (let i = 0; i < WARMUP; i++) rows = await run();
      const times: number[] = [];
      for (let i = 0; i < ITERATIONS; i++) {
        const t0 = performance.now();
        await run();
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const mean = times.reduce((a, b) => a + b, 0) / times.length;
      console.log(
        `${combo.name.padEnd(40)} ${ms(percentile(times, 50)).padStart(10)} ${ms(percentile(times, 99)).padStart(10)} ${ms(mean).padStart(10)}  ${rows}`,
      );
    }
    if (process.env.EXPLAIN) {
      // The plans of exactly the SQL listTips runs: which index each combination uses.
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      for (const combo of combos.filter((c) => !c.counts)) {
        const built = tipListQuery(
          db,
          combo.actor,
          TipListQuerySchema.parse(combo.query ?? {}),
          new Date(),
        ).toSQL();
        const plan = await client.query(`EXPLAIN ANALYZE ${built.sql}`, built.params as unknown[]);
        const lines = plan.rows.map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']);
        const scans = lines
          .filter((line) => /Scan|Sort Method|Execution Time/.test(line))
          .map((line) => line.trim());
        console.log(`\n${combo.name}\n  ${scans.slice(0, 6).join('\n  ')}`);
      }
      await client.end();
    }
  } finally {
    await database.close();
    await dropScratchPostgresDatabase(url);
    log('scratch database dropped');
  }
}

await main();
