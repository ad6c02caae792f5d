import type { TestUser } from '@tinbao/api/auth/testing';
import { tips, unitNotificationTargets, users } from '@tinbao/api/platform/schema';
import { communePoliceUnitId, createTestTip } from '@tinbao/api/tips/testing';
import { eq } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkPage,
  expectNoHorizontalOverflow,
  loginThroughUi,
  type ModerationWorld,
  PHONE,
  startModerationWorld,
} from './moderation-harness';

/**
 * Every page of the moderation UI at phone and desktop width: a screenshot for review in
 * tests/artifacts/screenshots/ and an axe-core check (no serious or critical violation).
 */
const COMMUNE = '19564';

let world: ModerationWorld;
let admin: TestUser;
let moderator: TestUser;
let officer: TestUser;
let routedTipId: string;
let newTipId: string;

async function photo(hue: number): Promise<string> {
  const jpeg = await sharp({
    create: { width: 320, height: 240, channels: 3, background: { r: hue, g: 120, b: 255 - hue } },
  })
    .jpeg()
    .toBuffer();
  return jpeg.toString('base64');
}

beforeAll(async () => {
  world = await startModerationWorld();
  const db = world.api.database.db;
  const unitId = await communePoliceUnitId(db, COMMUNE);
  admin = await world.createUser({ role: 'admin', enrolled: false, displayName: 'Quản trị viên' });
  moderator = await world.createUser({ role: 'moderator', displayName: 'Nguyễn Thị Lan' });
  officer = await world.createUser({ role: 'unit_officer', unitId, displayName: 'Trần Văn Minh' });
  const key = world.api.orgKeys.publicKey;
  const photos = [
    { mimeType: 'image/jpeg' as const, width: 320, height: 240, dataBase64: await photo(30) },
    { mimeType: 'image/jpeg' as const, width: 320, height: 240, dataBase64: await photo(200) },
  ];
  newTipId = (
    await createTestTip(db, key, {
      communeCode: COMMUNE,
      observed: 'dang_dien_ra',
      photos,
      location: { latitude: 16.6, longitude: 106.9 },
      followUpConsent: true,
      description:
        'Có một nhóm người thường xuyên mua bán ma túy tại quán karaoke đầu ngõ, nhất là sau 22 giờ. Xe máy biển số lạ ra vào liên tục.',
    })
  ).id;
  routedTipId = (
    await createTestTip(db, key, {
      communeCode: COMMUNE,
      category: 'tu_diem',
      venueType: 'nha_nghi_khach_san',
      status: 'routed',
      routedTo: [unitId],
      // The officer's case page shows the ~1 km area around it, never the pin.
      location: { latitude: 16.6123, longitude: 106.9187 },
    })
  ).id;
  for (const [index, category] of (['su_dung', 'trong_cay', 'tang_tru_van_chuyen'] as const).entries())
    await createTestTip(db, key, {
      communeCode: index === 0 ? '18880' : COMMUNE,
      category,
      receivedAt: new Date(Date.now() - (index + 1) * 9 * 86_400_000),
    });
  // One overdue tip so the badge shows.
  await createTestTip(db, key, { communeCode: COMMUNE, receivedAt: new Date(Date.now() - 25 * 86_400_000) });
});

afterAll(async () => {
  await world?.close();
});

async function waitIdle(page: Page) {
  await page.waitForLoadState('networkidle');
}

describe('every page: screenshots at 390 and 1366 px, axe-core clean', () => {
  it('login, TOTP enrolment with the QR code, and the TOTP step', async () => {
    const { context, page } = await world.newPage();
    await page.goto(`${world.baseUrl}/login`);
    await page.getByTestId('login-form').waitFor();
    await checkPage(page, '01-login');

    // A wrong password: one clear message, the same as for an unknown user.
    await page.getByTestId('login-username').fill(admin.username);
    await page.getByTestId('login-password').fill('not the password at all');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor();
    expect(await page.getByTestId('login-error').textContent()).toBe(
      'Tên đăng nhập hoặc mật khẩu không đúng.',
    );
    await checkPage(page, '01-login-error');

    // First login of the admin: enrolment with the QR code and the typed secret.
    await page.getByTestId('login-username').fill(admin.username);
    await page.getByTestId('login-password').fill(admin.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('enroll-form').waitFor();
    await page.getByTestId('enroll-qr').waitFor();
    await checkPage(page, '02-enroll');
    const secret = (await page.getByTestId('enroll-secret').textContent())!.replace(/\s/g, '');
    const code = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate();
    await page.getByTestId('login-code').fill(code);
    await page.getByTestId('login-verify').click();
    await page.getByTestId('current-user').waitFor();
    const [row] = await world.api.database.db
      .select({ enrolledAt: users.totpEnrolledAt })
      .from(users)
      .where(eq(users.id, admin.id));
    expect(row?.enrolledAt).toBeInstanceOf(Date);
    await context.close();

    const second = await world.newPage();
    await second.page.goto(`${world.baseUrl}/login`);
    await second.page.getByTestId('login-username').fill(moderator.username);
    await second.page.getByTestId('login-password').fill(moderator.password);
    await second.page.getByTestId('login-submit').click();
    await second.page.getByTestId('totp-form').waitFor();
    await checkPage(second.page, '03-totp');
    await second.context.close();
  });

  it("the moderator's queue, a tip, its routing dialog and the statistics", async () => {
    const { context, page } = await world.newPage();
    await loginThroughUi(world, page, moderator);
    await page.getByTestId('tip-list').waitFor();
    await waitIdle(page);
    await checkPage(page, '04-queue');

    await page.getByTestId('filter-province').selectOption('44');
    await page.getByTestId('filter-overdue').check();
    await page.getByTestId('overdue-badge').first().waitFor();
    await checkPage(page, '05-queue-filtered');

    await page.goto(`${world.baseUrl}/tips/${newTipId}`);
    await page.getByTestId('tip-photo').nth(1).waitFor();
    // Views fold into one line, so the first entry may be that line.
    await page.getByTestId('tip-timeline').locator('li').first().waitFor();
    await page.getByTestId('note-input').fill('Đã gọi xác minh sơ bộ với Công an xã.');
    await page.getByTestId('note-submit').click();
    await page.getByTestId('tip-note').first().waitFor();
    await checkPage(page, '06-tip');
    await page.getByTestId('tip-photo').first().click();
    await page.getByTestId('photo-dialog').locator('img').waitFor();
    await checkPage(page, '06-tip-photo-dialog');
    await page.keyboard.press('Escape');
    await page.getByTestId('photo-dialog').waitFor({ state: 'hidden' });

    await page.getByTestId('action-mark_duplicate').click();
    await page.getByTestId('duplicate-candidate').waitFor();
    await checkPage(page, '06-tip-duplicate-dialog');
    await page.keyboard.press('Escape');
    await page.getByTestId('duplicate-dialog').waitFor({ state: 'detached' });

    await page.getByTestId('action-start_review').click();
    await page.getByTestId('action-validate').click();
    await page.getByTestId('action-route').click();
    await page.getByTestId('routing-proposal').first().waitFor();
    await checkPage(page, '07-routing-dialog');
    await page.keyboard.press('Escape');

    await page.getByTestId('extend-deadline').click();
    await page.getByTestId('extend-dialog').waitFor();
    await checkPage(page, '08-extend-dialog');
    await page.getByTestId('extend-reason').fill('Cần thêm thời gian xác minh tại địa bàn.');
    await page.getByTestId('extend-dialog-submit').click();
    await page.getByTestId('extend-dialog').waitFor({ state: 'hidden' });

    await page.getByTestId('nav-stats').click();
    await page.getByTestId('stats').waitFor();
    await checkPage(page, '09-stats');

    // English, the second language.
    await page.getByTestId('language-switch').click();
    await page.getByTestId('nav-queue').click();
    await page.getByTestId('tip-list').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Tip queue');
    await checkPage(page, '10-queue-en');
    await page.getByTestId('language-switch').click();
    await context.close();
  });

  it("the officer's inbox and case", async () => {
    const { context, page } = await world.newPage();
    await loginThroughUi(world, page, officer);
    await page.getByTestId('tip-list').waitFor();
    await checkPage(page, '11-inbox');
    await page.goto(`${world.baseUrl}/inbox/${routedTipId}`);
    await page.getByTestId('action-acknowledge').waitFor();
    await checkPage(page, '12-inbox-case');
    await page.getByTestId('action-acknowledge').click();
    await page.getByTestId('action-report_outcome').click();
    await page.getByTestId('outcome-dialog').waitFor();
    await checkPage(page, '13-outcome-dialog');
    await context.close();
  });

  it('the admin pages: users, units and communes, routing rules', async () => {
    const { context, page } = await world.newPage();
    // The first admin's TOTP secret lives only in the authenticator (and encrypted in the DB): use a second admin.
    const admin2 = await world.createUser({ role: 'admin', displayName: 'Lê Văn Quản' });
    await loginThroughUi(world, page, admin2);
    await page.getByTestId('nav-users').click();
    await page.getByTestId('users-table').waitFor();
    await checkPage(page, '14-users');
    await page.getByTestId('edit-user').first().click();
    await page.getByTestId('edit-user-dialog').waitFor();
    await checkPage(page, '14-users-edit-dialog');
    await page.keyboard.press('Escape');
    await page.getByTestId('edit-user-dialog').waitFor({ state: 'hidden' });

    await page.getByTestId('nav-units').click();
    await page.getByTestId('unit-item').first().waitFor();
    await page.getByTestId('unit-item').first().click();
    await page.getByTestId('unit-communes').waitFor();
    await checkPage(page, '15-units');

    await page.getByTestId('nav-rules').click();
    await page.getByTestId('create-rule').waitFor();
    await page.getByTestId('create-rule').getByLabel('Tên quy tắc').fill('Biên giới: Đồn Biên phòng');
    await page.getByTestId('create-rule').locator('select').last().waitFor();
    const unitSelect = page.getByTestId('create-rule').locator('select').last();
    await expect.poll(() => unitSelect.locator('option').count()).toBeGreaterThan(1);
    await unitSelect.selectOption({ index: 1 });
    await page.getByTestId('create-rule').getByRole('button', { name: 'Thêm quy tắc' }).click();
    await page.getByTestId('rule-row').first().waitFor();
    await checkPage(page, '16-routing-rules');
    await context.close();
  });
});

const TIP_CONFLICT_TEXT = 'Trạng thái tin báo đã thay đổi';

/** Counts the API requests a page sends that match, to prove client-side validation stopped one. */
function countRequests(page: Page, method: string, path: RegExp): () => number {
  let n = 0;
  page.on('request', (request) => {
    if (request.method() === method && path.test(new URL(request.url()).pathname)) n++;
  });
  return () => n;
}

describe('QA fixes', () => {
  it('a user who must change the password sees only that page until it is changed, then the queue', async () => {
    const user = await world.createUser({ role: 'moderator', displayName: 'Phạm Thu Hà' });
    await world.api.database.db.update(users).set({ mustChangePassword: true }).where(eq(users.id, user.id));
    const { context, page } = await world.newPage(PHONE);
    await loginThroughUi(world, page, user);
    await page.getByTestId('change-password-form').waitFor();
    expect(await page.getByTestId('nav-queue').count()).toBe(0);
    await page.setViewportSize({ width: 1366, height: 900 });
    await checkPage(page, '17-change-password-forced');
    // Any other address leads back to the password page.
    await page.goto(`${world.baseUrl}/tips`);
    await page.getByTestId('change-password-form').waitFor();
    expect(new URL(page.url()).pathname).toBe('/account/password');

    // Checked in the browser, in Vietnamese: nothing is sent.
    const posts = countRequests(page, 'POST', /\/auth\/password$/);
    await page.getByTestId('current-password').fill(user.password);
    await page.getByTestId('new-password').fill('ngắn quá');
    await page.getByTestId('repeat-password').fill('ngắn quá');
    await page.getByTestId('change-password-submit').click();
    await page.getByTestId('validation-errors').waitFor();
    expect(await page.getByTestId('validation-errors').textContent()).toContain('ít nhất 12 ký tự');
    await page.getByTestId('new-password').fill(`${user.username} dài đủ rồi`);
    await page.getByTestId('repeat-password').fill(`${user.username} dài đủ rồi`);
    await page.getByTestId('change-password-submit').click();
    await expect
      .poll(() => page.getByTestId('validation-errors').textContent())
      .toContain('không được chứa tên đăng nhập');
    await page.getByTestId('new-password').fill('mưa rơi trên mái nhà xưa');
    await page.getByTestId('repeat-password').fill('mưa rơi trên mái nhà xưa!');
    await page.getByTestId('change-password-submit').click();
    await expect.poll(() => page.getByTestId('validation-errors').textContent()).toContain('không khớp');
    expect(posts()).toBe(0);
    await checkPage(page, '17-change-password-invalid');

    // A wrong current password: said so, not "no permission".
    await page.getByTestId('current-password').fill('not my password at all');
    await page.getByTestId('repeat-password').fill('mưa rơi trên mái nhà xưa');
    await page.getByTestId('change-password-submit').click();
    await page.getByTestId('error-notice').waitFor();
    expect(await page.getByTestId('error-notice').textContent()).toContain('Mật khẩu hiện tại không đúng');

    await page.getByTestId('current-password').fill(user.password);
    await page.getByTestId('change-password-submit').click();
    await page.getByTestId('tip-list').waitFor();
    expect(new URL(page.url()).pathname).toBe('/tips');
    const [row] = await world.api.database.db
      .select({ must: users.mustChangePassword })
      .from(users)
      .where(eq(users.id, user.id));
    expect(row?.must).toBe(false);
    // Reachable at any time from the account menu in the header (keyboard: Enter on the name).
    await page.getByTestId('current-user').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('nav-change-password').click();
    await page.getByTestId('change-password-form').waitFor();
    expect(await page.getByTestId('nav-queue').count()).toBe(1);
    await context.close();
  });

  it('admin pages: Vietnamese validation, errors by code, notification targets, provinces beside units', async () => {
    const admin3 = await world.createUser({ role: 'admin', displayName: 'Quản trị viên' });
    const { context, page } = await world.newPage();
    await loginThroughUi(world, page, admin3);
    // The display name equal to the role label is shown once.
    expect((await page.getByTestId('current-user').innerText()).match(/Quản trị viên/g)).toHaveLength(1);
    await page.getByTestId('nav-users').click();
    await page.getByTestId('users-table').waitFor();
    const userPosts = countRequests(page, 'POST', /\/api\/v1\/users$/);

    const form = page.getByTestId('create-user');
    await page.getByTestId('create-user-submit').click();
    await form.getByTestId('validation-errors').waitFor();
    expect(await form.getByTestId('validation-errors').textContent()).toContain(
      'Vui lòng nhập “Tên đăng nhập”',
    );
    await page.getByTestId('new-username').fill('ab');
    await page.getByTestId('create-user-submit').click();
    await expect.poll(() => form.getByTestId('validation-errors').textContent()).toContain('3–64 ký tự');
    expect(userPosts()).toBe(0);

    // An existing username: the conflict is named, not the tip-conflict text.
    await page.getByTestId('new-username').fill(moderator.username);
    await page.getByTestId('create-user-submit').click();
    await page.getByTestId('error-notice').waitFor();
    const taken = await page.getByTestId('error-notice').textContent();
    expect(taken).toContain('Tên đăng nhập này đã được dùng');
    expect(taken).not.toContain(TIP_CONFLICT_TEXT);
    expect(await page.getByTestId('new-username').inputValue()).toBe(moderator.username);

    // The unit picker names the province.
    await form.getByLabel('Vai trò').selectOption('unit_officer');
    const unitSelect = form.locator('select').last();
    await expect.poll(() => unitSelect.locator('option').count()).toBeGreaterThan(1);
    await expect.poll(() => unitSelect.locator('option').nth(1).textContent()).toContain('Quảng Trị');
    await checkPage(page, '18-users-validation');

    await page.getByTestId('nav-units').click();
    await page.getByTestId('create-unit').waitFor();
    await page.getByTestId('new-unit-code').fill('CA-19564');
    await page.getByTestId('new-unit-name').fill('Trùng mã');
    await page.getByTestId('create-unit').getByRole('button', { name: 'Tạo đơn vị' }).click();
    await page.getByTestId('create-unit').getByTestId('error-notice').waitFor();
    const unitTaken = await page.getByTestId('create-unit').getByTestId('error-notice').textContent();
    expect(unitTaken).toContain('Mã đơn vị này đã tồn tại');
    expect(unitTaken).not.toContain(TIP_CONFLICT_TEXT);
    await page.getByTestId('new-unit-code').fill('bad code!');
    await page.getByTestId('create-unit').getByRole('button', { name: 'Tạo đơn vị' }).click();
    await page.getByTestId('create-unit').getByTestId('validation-errors').waitFor();

    // Where the unit's notifications go: Telegram groups added and removed.
    await page.getByTestId('unit-item').first().click();
    const targets = page.getByTestId('unit-targets');
    await targets.waitFor();
    expect(await page.getByTestId('unit-targets-empty').textContent()).toContain(
      'Chưa có nơi nhận thông báo',
    );
    await page.getByTestId('unit-telegram-input').fill('12345');
    await page.getByTestId('unit-telegram-add').click();
    await targets.getByTestId('field-error').waitFor();
    expect(await targets.getByTestId('field-error').textContent()).toContain('ID nhóm Telegram là một số âm');
    await page.getByTestId('unit-telegram-input').fill('-1001234567890');
    await page.getByTestId('unit-telegram-add').click();
    await expect.poll(() => targets.getByTestId('unit-target').count()).toBe(1);
    expect(await page.getByTestId('unit-telegram-input').inputValue()).toBe('');
    await page.getByTestId('unit-telegram-input').fill('-1001234567890');
    await page.getByTestId('unit-telegram-input').press('Enter');
    await expect
      .poll(() => targets.getByTestId('field-error').textContent())
      .toContain('đã có trong danh sách');
    await page.getByTestId('unit-telegram-input').fill('-1009876543210');
    await page.getByTestId('unit-telegram-add').click();
    await expect.poll(() => targets.getByTestId('unit-target').count()).toBe(2);
    expect(await targets.getByTestId('unit-targets-list').textContent()).toContain(
      'Nhóm Telegram: -1001234567890',
    );
    const configured = await world.api.database.db
      .select({ address: unitNotificationTargets.address })
      .from(unitNotificationTargets)
      .where(eq(unitNotificationTargets.channel, 'telegram'));
    expect(configured.map((row) => row.address).sort()).toEqual(['-1001234567890', '-1009876543210']);
    await checkPage(page, '19-units-telegram');
    await targets.getByRole('button', { name: 'Bỏ Nhóm Telegram -1001234567890' }).click();
    await expect.poll(() => targets.getByTestId('unit-target').count()).toBe(1);
    expect(await targets.getByTestId('unit-targets-list').textContent()).toContain('-1009876543210');
    await context.close();
  });

  it('statistics for a single day, and a reversed range refused in the browser', async () => {
    const { context, page } = await world.newPage();
    await loginThroughUi(world, page, moderator);
    await page.getByTestId('nav-stats').click();
    await page.getByTestId('stats').waitFor();
    const today = await page.getByTestId('stats-to').inputValue();
    const statsGets = countRequests(page, 'GET', /\/api\/v1\/stats$/);
    await page.getByTestId('stats-from').fill(today);
    await page.getByTestId('stats-form').getByRole('button', { name: 'Xem' }).click();
    await expect.poll(statsGets).toBe(1);
    await page.getByTestId('stats').waitFor();
    expect(await page.getByTestId('error-notice').count()).toBe(0);
    // Tips received today (the new tip of this file, at least) are counted.
    expect(Number(await page.getByTestId('kpi-total').textContent())).toBeGreaterThan(0);

    await page.getByTestId('stats-from').fill('2026-11-24');
    await page.getByTestId('stats-to').fill('2026-11-23');
    await page.getByTestId('stats-form').getByRole('button', { name: 'Xem' }).click();
    await page.getByTestId('field-error').waitFor();
    expect(await page.getByTestId('field-error').textContent()).toContain('không được trước');
    expect(statsGets()).toBe(1);
    await context.close();
  });

  it('mark duplicate by receipt code; an unknown code is said plainly; views fold in the timeline', async () => {
    const db = world.api.database.db;
    const key = world.api.orgKeys.publicKey;
    const original = await createTestTip(db, key, { communeCode: '18880' });
    const copy = await createTestTip(db, key, { communeCode: COMMUNE });
    const { context, page } = await world.newPage();
    await loginThroughUi(world, page, moderator);
    // Opened three times: three views, folded into one line.
    for (let i = 0; i < 3; i++) {
      await page.goto(`${world.baseUrl}/tips/${copy.id}`);
      await page.getByTestId('tip-timeline').locator('li').first().waitFor();
    }
    await page.getByTestId('timeline-views').first().waitFor();
    expect(await page.locator('[data-action="tip.decrypted"]').count()).toBe(0);
    await page.getByTestId('timeline-show-views').check();
    await expect.poll(() => page.locator('[data-action="tip.decrypted"]').count()).toBeGreaterThanOrEqual(2);
    await page.getByTestId('timeline-show-views').uncheck();

    await page.getByTestId('action-mark_duplicate').click();
    await page.getByTestId('duplicate-dialog').waitFor();
    await page.getByTestId('duplicate-code').fill('TB-00000-00000');
    await page.getByTestId('duplicate-dialog-submit').click();
    await page.getByTestId('duplicate-dialog').getByTestId('validation-errors').waitFor();
    expect(
      await page.getByTestId('duplicate-dialog').getByTestId('validation-errors').textContent(),
    ).toContain('Không tìm thấy tin báo có mã TB-00000-00000');
    // Typed the way people read it: lower case, no dashes.
    await page.getByTestId('duplicate-code').fill(original.receiptCode.replace(/-/g, '').toLowerCase());
    await page.getByTestId('duplicate-dialog-submit').click();
    await page.getByTestId('duplicate-dialog').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('status-badge').first().textContent()).toBe('Trùng lặp');
    const [row] = await db.select({ duplicateOf: tips.duplicateOf }).from(tips).where(eq(tips.id, copy.id));
    expect(row?.duplicateOf).toBe(original.id);
    await context.close();
  });

  it('on a phone the queue comes first: filters folded, no sideways scroll', async () => {
    const { context, page } = await world.newPage(PHONE);
    await loginThroughUi(world, page, moderator);
    await page.getByTestId('tip-list').waitFor();
    expect(await page.getByTestId('filters').getAttribute('open')).toBeNull();
    await expectNoHorizontalOverflow(page, 'queue on a phone');
    await page.getByTestId('filters').locator('summary').click();
    await expectNoHorizontalOverflow(page, 'queue with filters open on a phone');
    await context.close();
  });

  it("a province moderator's queue and statistics are fixed to their province", async () => {
    const local = await world.createUser({
      role: 'moderator',
      provinceCode: '44',
      displayName: 'Lê Văn Tỉnh',
    });
    const { context, page } = await world.newPage();
    await loginThroughUi(world, page, local);
    await page.getByTestId('tip-list').waitFor();
    const province = page.getByTestId('filter-province');
    expect(await province.isDisabled()).toBe(true);
    expect(await province.inputValue()).toBe('44');
    expect(await page.getByTestId('tip-list').locator('a').count()).toBeGreaterThan(0);
    await page.getByTestId('nav-stats').click();
    await page.getByTestId('stats').waitFor();
    expect(await page.getByTestId('error-notice').count()).toBe(0);
    await context.close();
  });
});
