import type { TestUser } from '@tinbao/api/auth/testing';
import { users } from '@tinbao/api/platform/schema';
import { communePoliceUnitId, createTestTip } from '@tinbao/api/tips/testing';
import { eq } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPage, loginThroughUi, type ModerationWorld, startModerationWorld } from './moderation-harness';

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
    await page.getByTestId('timeline-event').first().waitFor();
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
