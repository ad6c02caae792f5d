import { jpegWithGps } from '@tinbao/bot/testing/photos';
import { openSealedTip, TipContentSchema } from '@tinbao/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotWorld, receiptOf, startBotWorld, waitForTip } from '../support/bot-world';
import { launchChromium } from '../support/browser';

const CHAT_ID = 5_550_441_234;
const DESCRIPTION = 'Có người bán ma túy trước cổng chợ vào buổi sáng. MARKER-browser-2290';

let world: BotWorld;
let browser: Browser;

beforeAll(async () => {
  world = await startBotWorld();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await world?.close();
});

/** Waits for the bot's latest message containing `text`. */
const botSays = (page: Page, text: string | RegExp) =>
  page.getByTestId('bot-message').filter({ hasText: text }).last().waitFor({ timeout: 15_000 });

/** Clicks the newest inline button with exactly this label. */
const tap = (page: Page, label: string) =>
  page
    .getByTestId('inline-button')
    .filter({ hasText: new RegExp(`^${label.replace(/[()]/g, '\\$&')}$`) })
    .last()
    .click();

async function type(page: Page, text: string) {
  await page.getByTestId('chat-input').fill(text);
  await page.getByTestId('chat-send').click();
}

/** Answers a Zalo numbered menu by typing the number of the option with this label. */
async function pick(page: Page, label: string) {
  const menu = await page.getByTestId('bot-message').last().innerText();
  const line = menu.split('\n').find((candidate) => candidate.replace(/^\d+\.\s*/, '') === label);
  const number = line && /^(\d+)\./.exec(line)?.[1];
  if (!number) throw new Error(`no option «${label}» in:\n${menu}`);
  await type(page, number);
}

describe('the /playground web chat', () => {
  it('completes a tip with buttons, typing, a location and a photo', async () => {
    const context = await browser.newContext({
      geolocation: { latitude: 16.62, longitude: 106.91 },
      permissions: ['geolocation'],
      viewport: { width: 390, height: 800 },
    });
    const page = await context.newPage();
    await page.goto(`${world.emulator.url}/playground?chat=${CHAT_ID}`);

    await type(page, '/start');
    await botSays(page, 'Đây là TinBao');
    await tap(page, 'Gửi tin báo');
    await botSays(page, 'Bước 1/8');
    await tap(page, 'Mua bán ma túy');
    await botSays(page, 'Bước 2/8');
    await type(page, 'quang tri');
    await botSays(page, 'Bước 3/8');
    await page.getByTestId('location-button').click();
    await botSays(page, 'Vị trí của bạn thuộc Xã Đakrông, Tỉnh Quảng Trị — đúng không?');
    await tap(page, 'Đúng');
    await botSays(page, 'Bước 4/8');
    await tap(page, 'Nơi công cộng');
    await botSays(page, 'Bước 5/8');
    await tap(page, 'Hôm nay');
    await botSays(page, 'Bước 6/8');
    await type(page, DESCRIPTION);
    await botSays(page, 'Bước 7/8');
    await page
      .getByTestId('photo-input')
      .setInputFiles({ name: 'cho.jpg', mimeType: 'image/jpeg', buffer: await jpegWithGps(640, 480) });
    await botSays(page, 'Đã nhận ảnh 1/5');
    await tap(page, 'Xong');
    await botSays(page, 'Bước 8/8');
    await tap(page, 'Không');
    await botSays(page, 'Vui lòng xem lại tin báo');
    await tap(page, 'Gửi');
    await botSays(page, 'Mã tin báo của bạn');
    // The summary's Gửi/Sửa/Hủy buttons are removed once the tip is sent.
    await page
      .getByTestId('inline-button')
      .filter({ hasText: /^(Gửi|Sửa|Hủy)$/ })
      .first()
      .waitFor({ state: 'detached', timeout: 15_000 });

    const last = await page.getByTestId('bot-message').last().innerText();
    const receiptCode = receiptOf(last);
    expect(receiptCode, last).toBeDefined();
    const [row] = await waitForTip(world, receiptCode!);
    const content = TipContentSchema.parse(
      await openSealedTip(new Uint8Array(row!.envelope), row!, world.org),
    );
    expect(content).toMatchObject({
      category: 'mua_ban',
      communeCode: '19564',
      venueType: 'noi_cong_cong',
      observed: 'hom_nay',
      description: DESCRIPTION,
      location: { latitude: 16.62, longitude: 106.91 },
      followUpConsent: false,
    });
    expect(content.photos).toHaveLength(1);
    expect(row!.replyToken).toBeNull();
    await context.close();
  });

  it('completes a tip on Zalo: numbered menus answered by number and by words, a photo', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    await page.goto(`${world.zaloEmulator.url}/playground?chat=pg-zalo-tip`);
    await page.waitForSelector('html[data-ready="true"][data-channel="zalo"]');
    expect(await page.getByTestId('location-button').count()).toBe(0);

    await page.getByTestId('start-button').click();
    await botSays(page, 'Zalo biết tài khoản của bạn');
    await pick(page, 'Gửi tin báo');
    await botSays(page, 'Bước 1/8');
    await type(page, 'su dung trai phep'); // the option's words, without diacritics
    await botSays(page, 'Bước 2/8');
    await type(page, 'quang binh');
    await botSays(page, 'Quảng Bình nay thuộc Tỉnh Quảng Trị');
    await type(page, 'thi tran lao bao');
    await botSays(page, 'Thị trấn Lao Bảo nay là Xã Lao Bảo');
    await pick(page, 'Xã Lao Bảo (Quảng Trị)');
    await botSays(page, 'Bước 4/8');
    await pick(page, 'Nhà riêng');
    await botSays(page, 'Bước 5/8');
    await pick(page, 'Hôm qua');
    await botSays(page, 'Bước 6/8');
    await type(page, DESCRIPTION);
    await botSays(page, 'Bước 7/8');
    await page
      .getByTestId('photo-input')
      .setInputFiles({ name: 'nha.jpg', mimeType: 'image/jpeg', buffer: await jpegWithGps(640, 480) });
    await botSays(page, 'Đã nhận ảnh 1/5');
    await pick(page, 'Xong');
    await botSays(page, 'Bước 8/8');
    await pick(page, 'Đồng ý');
    await botSays(page, 'Vui lòng xem lại tin báo');
    await pick(page, 'Gửi');
    await botSays(page, 'Mã tin báo của bạn');
    expect(await page.getByTestId('inline-button').count()).toBe(0);

    const last = await page.getByTestId('bot-message').last().innerText();
    const receiptCode = receiptOf(last);
    expect(receiptCode, last).toBeDefined();
    const [row] = await waitForTip(world, receiptCode!);
    expect(row).toMatchObject({ channel: 'zalo', communeCode: '19432' });
    const content = TipContentSchema.parse(
      await openSealedTip(new Uint8Array(row!.envelope), row!, world.org),
    );
    expect(content).toMatchObject({
      category: 'su_dung',
      provinceCode: '44',
      communeCode: '19432',
      venueType: 'nha_rieng',
      observed: 'hom_qua',
      description: DESCRIPTION,
      followUpConsent: true,
    });
    expect(content.location).toBeUndefined();
    expect(content.photos).toHaveLength(1);
    await page.close();
  });
});
