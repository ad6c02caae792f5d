import { randomUUID } from 'node:crypto';
import { type NotifyUnitJob, QUEUE_NAMES } from '@tinbao/shared';
import type { Actor } from '@tinbao/shared/permissions/index';
import type { Job, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../platform/queues';
import { unitNotificationTargets } from '../platform/schema';
import { createServiceHarness, type ServiceHarness } from '../tips/test-harness';
import { createTestTip } from '../tips/testing';
import { transitionTip } from '../tips/workflow/service';
import {
  createNotifyUnitProcessor,
  type NotifyUnitResult,
  UNIT_NOTICE_TEXT,
  unitNoticeJobId,
} from './notify-unit-worker';

const moderator: Actor = { userId: randomUUID(), role: 'moderator', unitId: null, provinceCode: null };
const DESCRIPTION = 'MARKER-noi-dung-tin-bao ở quán karaoke';

let h: ServiceHarness;
let worker: Worker<NotifyUnitJob>;
/** Completed notify-unit jobs by id, resolved from the worker's own events (no polling). */
const completed = new Map<string, (result: NotifyUnitResult) => void>();
const finished = (jobId: string) => new Promise<NotifyUnitResult>((resolve) => completed.set(jobId, resolve));

beforeAll(async () => {
  h = await createServiceHarness('pglite');
  worker = startWorker<NotifyUnitJob>(
    QUEUE_NAMES.notify,
    createNotifyUnitProcessor({ db: h.database.db, relayQueue: h.queues.relay, logger: h.deps.logger }),
    { connection: h.queueRedis, redisPrefix: h.prefix, logger: h.deps.logger },
    { concurrency: 2, lockDurationMs: 30_000 },
  );
  worker.on('completed', (job, result) => completed.get(job.id!)?.(result));
});
afterAll(async () => {
  await worker?.close();
  await h?.destroy();
});

async function routeNewTip(unitId: string) {
  const tip = await createTestTip(h.database.db, h.orgKeys.publicKey, {
    status: 'validated',
    description: DESCRIPTION,
  });
  const done = finished(`${tip.id}_${unitId}`);
  await transitionTip(h.deps, moderator, tip.id, { action: 'route', unitIds: [unitId] });
  return { tip, result: await done };
}

describe('notify-unit', () => {
  it('logs ids only when the unit has no notification target', async () => {
    const unitId = h.units[0]!;
    const { tip, result } = await routeNewTip(unitId);
    expect(result).toEqual({ delivered: 'log' });
    const line = h.logs.lines
      .map((l) => JSON.parse(l))
      .find((l) => l.tipId === tip.id && l.msg.startsWith('case routed'));
    expect(line).toMatchObject({ unitId, tipId: tip.id });
    expect(h.logs.text()).not.toContain('MARKER');
  });

  it('hands one fixed Vietnamese message per target of the unit to the bot, with no tip content', async () => {
    const unitId = h.units[1]!;
    const targets = [
      { channel: 'telegram' as const, address: '-1009876543210' },
      { channel: 'telegram' as const, address: '-1005555555555' },
    ];
    await h.database.db
      .insert(unitNotificationTargets)
      .values(targets.map((target) => ({ unitId, ...target })));
    const { tip, result } = await routeNewTip(unitId);
    expect(result).toEqual({ delivered: 'relay', targets: 2 });
    for (const target of targets) {
      const job = await h.queues.relay.getJob(unitNoticeJobId(tip.id, unitId, target));
      expect(job?.name).toBe('relay-message');
      expect(job?.data).toEqual({ kind: 'unit-notification', unitId, target, text: UNIT_NOTICE_TEXT });
      expect(JSON.stringify(job?.data)).not.toContain(tip.receiptCode);
      // Job ids reach logs: they name the target by a hash, never by its chat id.
      expect(job?.id).not.toContain(target.address);
    }
    expect(UNIT_NOTICE_TEXT).toBe('Có tin báo mới được chuyển đến đơn vị. Vui lòng đăng nhập TinBao để xem.');
  });

  it('queues each notice once when notify-unit runs again (a retry after a crash)', async () => {
    const unitId = h.units[2]!;
    const target = { channel: 'telegram' as const, address: '-1007777777777' };
    await h.database.db.insert(unitNotificationTargets).values({ unitId, ...target });
    const { tip } = await routeNewTip(unitId);
    const process = createNotifyUnitProcessor({
      db: h.database.db,
      relayQueue: h.queues.relay,
      logger: h.deps.logger,
    });
    const again = { data: { tipId: tip.id, unitId }, attemptsMade: 1 } as Job<NotifyUnitJob>;
    expect(await process(again)).toEqual({ delivered: 'relay', targets: 1 });
    expect(await process(again)).toEqual({ delivered: 'relay', targets: 1 });
    const jobs = await h.queues.relay.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    const forTip = jobs.filter((job) => job.id?.startsWith(`unit-notice_${tip.id}_`));
    expect(forTip.map((job) => job.id)).toEqual([unitNoticeJobId(tip.id, unitId, target)]);
    // Another target of the same unit is another notice.
    expect(unitNoticeJobId(tip.id, unitId, { channel: 'telegram', address: '-1007777777778' })).not.toBe(
      unitNoticeJobId(tip.id, unitId, target),
    );
  });

  it('refuses bad payloads and unrouted pairs without retrying', async () => {
    const process = createNotifyUnitProcessor({
      db: h.database.db,
      relayQueue: h.queues.relay,
      logger: h.deps.logger,
    });
    const job = (data: unknown) => ({ data, attemptsMade: 0 }) as Job<NotifyUnitJob>;
    await expect(process(job({ tipId: 'x' }))).rejects.toMatchObject({ name: 'UnrecoverableError' });
    await expect(process(job({ tipId: randomUUID(), unitId: h.units[0] }))).rejects.toMatchObject({
      name: 'UnrecoverableError',
    });
  });
});
