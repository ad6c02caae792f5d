import { randomUUID } from 'node:crypto';
import { type NotifyUnitJob, QUEUE_NAMES } from '@tinbao/shared';
import type { Job, Worker } from 'bullmq';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../platform/queues';
import { units } from '../platform/schema';
import type { Actor } from '../tips/access';
import { transitionTip } from '../tips/service';
import { createServiceHarness, type ServiceHarness } from '../tips/test-harness';
import { createTestTip } from '../tips/testing';
import { createNotifyUnitProcessor, type NotifyUnitResult, UNIT_NOTICE_TEXT } from './notify-unit-worker';

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
  it('logs ids only when the unit has no Telegram group', async () => {
    const unitId = h.units[0]!;
    const { tip, result } = await routeNewTip(unitId);
    expect(result).toEqual({ delivered: 'log' });
    const line = h.logs.lines
      .map((l) => JSON.parse(l))
      .find((l) => l.tipId === tip.id && l.msg.startsWith('case routed'));
    expect(line).toMatchObject({ unitId, tipId: tip.id });
    expect(h.logs.text()).not.toContain('MARKER');
  });

  it("hands a fixed Vietnamese message for the unit's group to the bot, with no tip content", async () => {
    const unitId = h.units[1]!;
    await h.database.db.update(units).set({ telegramGroupId: '-1009876543210' }).where(eq(units.id, unitId));
    const { tip, result } = await routeNewTip(unitId);
    expect(result).toEqual({ delivered: 'telegram' });
    const job = await h.queues.relay.getJob(`unit-notice_${tip.id}_${unitId}`);
    expect(job?.name).toBe('send-unit-group-message');
    expect(job?.data).toEqual({ unitId, chatId: '-1009876543210', text: UNIT_NOTICE_TEXT });
    expect(JSON.stringify(job?.data)).not.toContain(tip.receiptCode);
    expect(UNIT_NOTICE_TEXT).toBe('Có tin báo mới được chuyển đến đơn vị. Vui lòng đăng nhập TinBao để xem.');
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
