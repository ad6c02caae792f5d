import type { TestUser } from '@tinbao/api/auth/testing';
import { tips } from '@tinbao/api/platform/schema';
import { communePoliceUnitId, createTestTip } from '@tinbao/api/tips/testing';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPage, loginThroughUi, type ModerationWorld, startModerationWorld } from './moderation-harness';

// Xã Đakrông and Phường Đồng Hới, Quảng Trị (44).
const COMMUNE = '19564';
const OTHER_COMMUNE = '18880';
const MARKER = 'MARKER-ui-flow-7731';
/** The moderators' own: an officer's page never shows them. */
const INTERNAL_NOTE = 'NOTE-internal-5512: người báo có thể là chủ quán bên cạnh';
const PIN = { latitude: 16.61234, longitude: 106.91876 };
const PAGING_COMMUNE = '18871';

let world: ModerationWorld;
let moderator: TestUser;
let officer: TestUser;
let otherOfficer: TestUser;
let tipId: string;

let otherTipId: string;
const cspErrors: string[] = [];

beforeAll(async () => {
  world = await startModerationWorld();
  const db = world.api.database.db;
  const unitId = await communePoliceUnitId(db, COMMUNE);
  const otherUnitId = await communePoliceUnitId(db, OTHER_COMMUNE);
  moderator = await world.createUser({ role: 'moderator', displayName: 'Nguyễn Thị Lan' });
  officer = await world.createUser({ role: 'unit_officer', unitId, displayName: 'Trần Văn Minh' });
  otherOfficer = await world.createUser({ role: 'unit_officer', unitId: otherUnitId });
  const tip = await createTestTip(db, world.api.orgKeys.publicKey, {
    communeCode: COMMUNE,
    observed: 'dang_dien_ra',
    location: PIN,
    description: `Có người bán ma túy ở quán karaoke đầu ngõ, tối nay vẫn đang bán. ${MARKER}`,
  });
  tipId = tip.id;

  // Routed to another commune's unit: our officer must never see it.
  const other = await createTestTip(db, world.api.orgKeys.publicKey, {
    communeCode: OTHER_COMMUNE,
    status: 'routed',
    routedTo: [otherUnitId],
    description: 'Tụ tập sử dụng ma túy ở nhà nghỉ gần chợ. SECRET-other-unit',
  });
  otherTipId = other.id;
  await createTestTip(db, world.api.orgKeys.publicKey, { communeCode: OTHER_COMMUNE, category: 'tu_diem' });
});

afterAll(async () => {
  await world?.close();
});

function watchCsp(page: Page) {
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspErrors.push(message.text());
  });
}

async function openPage(width = 1366, height = 900) {
  const { context, page } = await world.newPage({ width, height });
  watchCsp(page);
  return { context, page };
}

describe('moderation UI: from a new tip to a reported outcome', () => {
  it('a moderator logs in with TOTP and takes a new tip through review to routed', async () => {
    const { context, page } = await openPage();
    await loginThroughUi(world, page, moderator);
    await expect.poll(() => page.url()).toMatch(/\/tips$/);
    const row = page.locator(`[data-testid="tip-row"][data-tip-id="${tipId}"]`);
    await row.waitFor();
    await expect(row.getByTestId('priority-badge').textContent()).resolves.toContain('Ưu tiên cao');
    expect(await page.getByTestId('count-value-new').textContent()).toBe('2');

    // Keyboard: j selects rows, Enter opens the selected one.
    await page.locator('body').click({ position: { x: 5, y: 400 } });
    const rows = page.getByTestId('tip-row');
    const index = await rows.evaluateAll(
      (elements, id) => elements.findIndex((e) => e.getAttribute('data-tip-id') === id),
      tipId,
    );
    for (let step = 0; step <= index; step++) await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.getByTestId('tip-description').waitFor();
    expect(page.url()).toContain(`/tips/${tipId}`);
    expect(await page.getByTestId('tip-description').textContent()).toContain(MARKER);

    // The actions by keyboard alone: after each step focus returns to the actions card, Tab
    // reaches the next action, Enter presses it.
    await page.getByTestId('action-start_review').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('action-validate').waitFor();
    await expect.poll(() => page.evaluate<string>('document.activeElement.id')).toBe('actions-title');
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>("document.activeElement.getAttribute('data-testid')")).toBe(
      'action-validate',
    );
    await page.keyboard.press('Enter');
    await page.getByTestId('action-route').waitFor();
    await expect.poll(() => page.evaluate<string>('document.activeElement.id')).toBe('actions-title');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('routing-dialog');
    const proposal = dialog.locator(`[data-testid="routing-proposal"][data-unit-code="CA-${COMMUNE}"]`);
    await proposal.waitFor();
    expect(await proposal.locator('input[type="checkbox"]').isChecked()).toBe(true);
    await dialog.getByTestId('routing-submit').focus();
    await page.keyboard.press('Enter');
    await page.locator(`[data-testid="tip-route"][data-unit-code="CA-${COMMUNE}"]`).waitFor();
    await expect
      .poll(() => page.getByTestId('tip-header').getByTestId('status-badge').textContent())
      .toBe('Đã chuyển đơn vị');

    const [row2] = await world.api.database.db
      .select({ status: tips.status })
      .from(tips)
      .where(eq(tips.id, tipId));
    expect(row2?.status).toBe('routed');
    // The timeline shows the decryption and the transitions.
    await expect.poll(() => page.getByTestId('timeline-event').count()).toBeGreaterThanOrEqual(3);
    // The moderator sees the exact pin, writes an internal note and is named in the timeline.
    expect(await page.getByTestId('tip-location').textContent()).toBe('16.61234, 106.91876');
    await page.getByTestId('note-input').fill(INTERNAL_NOTE);
    await page.getByTestId('note-submit').click();
    await page.getByTestId('tip-note').filter({ hasText: INTERNAL_NOTE }).waitFor();
    await page.getByTestId('timeline-event').filter({ hasText: 'Nguyễn Thị Lan' }).first().waitFor();
    await context.close();
  });

  it('logout then the back button shows nothing of the tip', async () => {
    const { context, page } = await openPage();
    await loginThroughUi(world, page, moderator);
    await page.goto(`${world.baseUrl}/tips/${tipId}`);
    await page.getByTestId('tip-description').waitFor();
    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor();
    expect(page.url()).toMatch(/\/login\?reason=user$/);
    await page.goBack();
    await page.getByTestId('login-form').waitFor();
    expect(await page.content()).not.toContain(MARKER);
    expect(await page.getByTestId('tip-description').count()).toBe(0);
    // Nothing of the session or the tip was kept in web storage.
    const stored = await page.evaluate<string>('JSON.stringify({ ...localStorage, ...sessionStorage })');
    expect(stored).not.toContain(MARKER);
    expect(await page.evaluate<number>('Object.keys(sessionStorage).length')).toBe(0);
    await context.close();
  });

  it("the unit's officer sees that case and nothing else, acknowledges it and reports the outcome", async () => {
    const { context, page } = await openPage(390, 844);
    await loginThroughUi(world, page, officer);
    await expect.poll(() => page.url()).toMatch(/\/inbox$/);
    await page.getByTestId('tip-list').waitFor();
    const rows = page.getByTestId('tip-row');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-tip-id')).toBe(tipId);
    expect(await page.content()).not.toContain(otherTipId);

    // Another unit's tip is as good as nonexistent.
    await page.goto(`${world.baseUrl}/inbox/${otherTipId}`);
    await page.getByTestId('error-notice').waitFor();
    expect(await page.content()).not.toContain('SECRET-other-unit');

    await page.goto(`${world.baseUrl}/inbox`);
    await page.getByTestId('tip-row').first().click();
    await page.getByTestId('tip-description').waitFor();
    // The officer's view: the ~1 km area instead of the pin, the unit's notes only, staff by role.
    await page.getByTestId('tip-location-area').waitFor();
    expect(await page.getByTestId('tip-location').count()).toBe(0);
    await page.getByTestId('notes-unit-only').waitFor();
    await page.getByTestId('timeline-event').filter({ hasText: 'Cán bộ tiếp nhận' }).first().waitFor();
    expect(await page.getByTestId('tip-note').count()).toBe(0);
    const html = await page.content();
    for (const hidden of [INTERNAL_NOTE, 'Nguyễn Thị Lan', '16.61234', '106.91876'])
      expect(html, hidden).not.toContain(hidden);
    await page.getByTestId('action-acknowledge').click();
    await page.getByTestId('action-report_outcome').waitFor();
    await page.getByTestId('action-report_outcome').click();
    const dialog = page.getByTestId('outcome-dialog');
    await dialog.getByTestId('outcome-kind').selectOption('case_opened');
    await dialog.getByTestId('outcome-note').fill('Đã khởi tố vụ án, 2 đối tượng bị tạm giữ.');
    await dialog.getByTestId('outcome-dialog-submit').click();
    await expect
      .poll(() => page.getByTestId('tip-header').getByTestId('status-badge').textContent())
      .toBe('Đã báo kết quả');
    await context.close();

    // The officer of another unit sees an empty inbox.
    const second = await openPage(390, 844);
    await loginThroughUi(world, second.page, otherOfficer);
    await second.page.getByTestId('tip-list').waitFor();
    expect(await second.page.getByTestId('tip-row').count()).toBe(1);
    expect(await second.page.getByTestId('tip-row').first().getAttribute('data-tip-id')).toBe(otherTipId);
    await second.context.close();
  });

  it('the statistics page reflects it', async () => {
    const { context, page } = await openPage();
    await loginThroughUi(world, page, moderator);
    await page.getByTestId('nav-stats').click();
    await page.getByTestId('stats').waitFor();
    expect(await page.getByTestId('kpi-total').textContent()).toBe('3');
    expect(await page.getByTestId('kpi-cases-opened').textContent()).toBe('1');
    expect(await page.getByTestId('kpi-median-route').textContent()).not.toBe('–');
    expect(await page.getByTestId('kpi-median-ack').textContent()).not.toBe('–');
    await page.getByTestId('chart-outcomes').waitFor();
    // The export link, fetched with the page's session cookie.
    const href = await page.getByTestId('stats-export').getAttribute('href');
    const exported = await context.request.get(`${world.baseUrl}${href}`);
    expect(exported.status()).toBe(200);
    expect(exported.headers()['content-type']).toMatch(/text\/csv/);
    const csv = await exported.text();
    expect(csv.split('\n').length).toBeGreaterThan(1);
    expect(csv).not.toContain(MARKER);
    await context.close();
  });

  it('logging out in one tab wipes the other tabs too', async () => {
    const { context, page } = await openPage();
    await loginThroughUi(world, page, moderator);
    await page.goto(`${world.baseUrl}/tips/${tipId}`);
    await page.getByTestId('tip-description').waitFor();
    const second = await context.newPage();
    await second.goto(`${world.baseUrl}/tips/${tipId}`);
    await second.getByTestId('tip-description').waitFor();
    await page.getByTestId('logout').click();
    await second.waitForURL(/\/login/);
    await second.getByTestId('login-form').waitFor();
    expect(await second.content()).not.toContain(MARKER);
    await context.close();
  });

  it('an idle session ends in the browser: logged out, back on the login page', async () => {
    const { context, page } = await openPage();
    await page.clock.install();
    await loginThroughUi(world, page, officer);
    await page.getByTestId('tip-list').waitFor();
    // The API sets the idle time in index.html from SESSION_IDLE_MINUTES (default 30).
    expect(await page.locator('meta[name="tinbao-session-idle-minutes"]').getAttribute('content')).toBe(
      String(world.config.SESSION_IDLE_MINUTES),
    );
    const idleMs = world.config.SESSION_IDLE_MINUTES * 60_000;
    // A minute before the end: a warning; any activity keeps the session.
    await page.clock.fastForward(idleMs - 30_000);
    await page.getByTestId('idle-warning').waitFor();
    await checkPage(page, '17-idle-warning');
    await page.getByTestId('idle-stay').click();
    await page.getByTestId('idle-warning').waitFor({ state: 'hidden' });
    await page.clock.fastForward(idleMs - 30_000);
    expect(page.url()).toMatch(/\/inbox$/);
    await page.clock.fastForward(60_000);
    await page.waitForURL(/\/login\?reason=idle$/);
    await page.getByTestId('login-form').waitFor();
    // The server session is gone too.
    const me = await context.request.get(`${world.baseUrl}/api/v1/auth/me`);
    expect(me.status()).toBe(401);
    await context.close();
  });

  it('a stale action answers 409 and the page shows what is allowed now', async () => {
    const db = world.api.database.db;
    const fresh = await createTestTip(db, world.api.orgKeys.publicKey, { communeCode: COMMUNE });
    const { context, page } = await openPage();
    await loginThroughUi(world, page, moderator);
    await page.goto(`${world.baseUrl}/tips/${fresh.id}`);
    await page.getByTestId('action-start_review').waitFor();
    // Another moderator started the review meanwhile.
    await db.update(tips).set({ status: 'in_review', version: 1 }).where(eq(tips.id, fresh.id));
    await page.getByTestId('action-start_review').click();
    await page.getByTestId('tip-actions').getByTestId('error-notice').waitFor();
    await page.getByTestId('action-validate').waitFor();
    expect(await page.getByTestId('action-start_review').count()).toBe(0);
    await context.close();
  });

  it('pages through a long queue with "Xem thêm" (keyset)', async () => {
    const db = world.api.database.db;
    const ids = new Set<string>();
    for (let index = 0; index < 60; index++)
      ids.add((await createTestTip(db, world.api.orgKeys.publicKey, { communeCode: PAGING_COMMUNE })).id);
    const { context, page } = await openPage();
    await loginThroughUi(world, page, moderator);
    await page.goto(`${world.baseUrl}/tips?provinceCode=44&communeCode=${PAGING_COMMUNE}`);
    await page.getByTestId('tip-list').waitFor();
    await expect.poll(() => page.getByTestId('tip-row').count()).toBe(50);
    await page.getByTestId('load-more').click();
    await expect.poll(() => page.getByTestId('tip-row').count()).toBe(60);
    const shown = await page
      .getByTestId('tip-row')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-tip-id')));
    expect(new Set(shown)).toEqual(ids);
    expect(await page.getByTestId('load-more').count()).toBe(0);
    await context.close();
  });

  it('the UI broke no Content-Security-Policy rule', () => {
    expect(cspErrors).toEqual([]);
  });
});
