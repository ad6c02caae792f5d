import type { TestUser } from '@tinbao/api/auth/testing';
import { tips } from '@tinbao/api/platform/schema';
import { retentionPolicyOf } from '@tinbao/api/retention/config';
import { purgeDueTips } from '@tinbao/api/retention/purge';
import { communePoliceUnitId, createTestTip } from '@tinbao/api/tips/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPage, loginThroughUi, type ModerationWorld, startModerationWorld } from './moderation-harness';

/** «Lưu trữ & xoá dữ liệu»: an admin sees what goes next, holds a tip, sees the badge, releases it. */
const COMMUNE = '19564';
const DAY_MS = 86_400_000;

let world: ModerationWorld;
let admin: TestUser;
let moderator: TestUser;
const tip: Record<'closed400' | 'rejected100' | 'closed100' | 'purged', { id: string; receiptCode: string }> =
  {} as never;

beforeAll(async () => {
  world = await startModerationWorld();
  const db = world.api.database.db;
  const key = world.api.orgKeys.publicKey;
  const unitId = await communePoliceUnitId(db, COMMUNE);
  admin = await world.createUser({ role: 'admin', displayName: 'Quản trị viên' });
  moderator = await world.createUser({ role: 'moderator', displayName: 'Nguyễn Thị Lan' });
  const closed = (status: 'closed' | 'rejected', days: number) =>
    createTestTip(db, key, {
      communeCode: COMMUNE,
      status,
      routedTo: status === 'closed' ? [unitId] : [],
      closedAt: new Date(Date.now() - days * DAY_MS),
    });
  tip.purged = await closed('closed', 900);
  // Purged first, alone: the others are created after it, so they are still there.
  await purgeDueTips({ db, policy: retentionPolicyOf(world.config) }, { by: 'cli' });
  tip.closed400 = await closed('closed', 400);
  tip.rejected100 = await closed('rejected', 100);
  tip.closed100 = await closed('closed', 100);
});

afterAll(async () => {
  await world?.close();
});

describe('the retention page', () => {
  it('lists what the next purge deletes; an admin holds a tip, sees its badge, and releases it', async () => {
    const { context, page } = await world.newPage();
    await loginThroughUi(world, page, admin);
    await page.getByTestId('nav-retention').click();
    await page.getByTestId('retention-next-table').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Lưu trữ & xoá dữ liệu');
    expect(await page.getByTestId('due-closed').textContent()).toBe('1');
    expect(await page.getByTestId('due-rejected').textContent()).toBe('1');
    expect(await page.getByTestId('due-total').textContent()).toBe('2');
    const rows = page.getByTestId('retention-next-row');
    expect(await Promise.all((await rows.all()).map((row) => row.getAttribute('data-receipt')))).toEqual([
      tip.closed400.receiptCode,
      tip.rejected100.receiptCode,
      tip.closed100.receiptCode,
    ]);
    await checkPage(page, '20-retention');

    await page.locator(`[data-receipt="${tip.closed400.receiptCode}"]`).getByTestId('hold-button').click();
    await page.getByTestId('hold-dialog').waitFor();
    // The grounds are required.
    await page.getByTestId('hold-submit').click();
    await page.getByText('Vui lòng nhập “Căn cứ giữ lại”.').first().waitFor();
    await checkPage(page, '20-retention-hold-dialog');
    await page.getByTestId('hold-reason').fill('Vụ án số 12/2025, Cơ quan CSĐT yêu cầu giữ nguyên chứng cứ');
    await page.getByTestId('hold-submit').click();
    await page.getByTestId('retention-held-row').waitFor();
    expect(await page.getByTestId('due-total').textContent()).toBe('1');
    expect(await page.getByTestId('held-count').textContent()).toBe('1');
    const [held] = await world.api.database.db.select().from(tips).where(eq(tips.id, tip.closed400.id));
    expect(held?.legalHoldBy).toBe(admin.id);

    // Any tip by its receipt code, typed loosely (here one not due for months).
    await page.getByTestId('hold-other').click();
    await page.getByTestId('hold-receipt').fill(tip.closed100.receiptCode.toLowerCase().replaceAll('-', ''));
    await page.getByTestId('hold-reason').fill('Văn bản số 45/CV-CSĐT');
    await page.getByTestId('hold-submit').click();
    await page.getByTestId('hold-dialog').waitFor({ state: 'detached' });
    await page
      .locator(`[data-testid="retention-held-row"][data-receipt="${tip.closed100.receiptCode}"]`)
      .waitFor();
    await checkPage(page, '21-retention-held');

    await page.goto(`${world.baseUrl}/tips/${tip.closed400.id}`);
    await page.getByTestId('legal-hold-badge').waitFor();
    expect(await page.getByTestId('legal-hold-badge').getAttribute('title')).toContain('12/2025');

    await page.goto(`${world.baseUrl}/admin/retention`);
    await page
      .locator(`[data-testid="retention-held-row"][data-receipt="${tip.closed400.receiptCode}"]`)
      .getByTestId('release-button')
      .click();
    await page.getByTestId('release-confirm').click();
    await page
      .locator(`[data-testid="retention-held-row"][data-receipt="${tip.closed400.receiptCode}"]`)
      .waitFor({
        state: 'detached',
      });
    expect(await page.getByTestId('due-total').textContent()).toBe('2');

    // A purged tip's page says what happened to it.
    await page.goto(`${world.baseUrl}/tips/${tip.purged.id}`);
    await page.getByTestId('error-notice').waitFor();
    expect(await page.getByTestId('error-notice').textContent()).toContain(
      'đã được xoá theo quy định lưu trữ',
    );
    await context.close();
  });

  it('a moderator has no retention page, no menu entry and no badge', async () => {
    const { context, page } = await world.newPage();
    await loginThroughUi(world, page, moderator);
    await page.getByTestId('nav-queue').waitFor();
    expect(await page.getByTestId('nav-retention').count()).toBe(0);
    await page.goto(`${world.baseUrl}/admin/retention`);
    await page.getByText('Trang không tồn tại.').waitFor();
    await page.goto(`${world.baseUrl}/tips/${tip.closed100.id}`);
    await page.getByTestId('tip-header').waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.getByTestId('legal-hold-badge').count()).toBe(0);
    await context.close();
  });
});
