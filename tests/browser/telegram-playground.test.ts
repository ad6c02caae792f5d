import { createRequire } from 'node:module';
import { createEmulatorClient, type EmulatorClient } from '@tinbao/emulators/telegram/client';
import { startTelegramEmulator, type TelegramEmulator } from '@tinbao/emulators/telegram/server';
import { Bot, InlineKeyboard, Keyboard } from 'grammy';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';

// The emulator's web chat, driven in Chromium against a small grammY bot: the page mechanics
// (buttons, edits, photo, location, reply keyboard, safe formatting), not the tip conversation.

const TOKEN = '4242:playground-test';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAYAAAD0In+KAAAADklEQVR4nGP4z8DwHwQBEPgD/U6VwW8AAAAASUVORK5CYII=',
  'base64',
);

let emulator: TelegramEmulator;
let client: EmulatorClient;
let bot: Bot;
let browser: Browser;

beforeAll(async () => {
  emulator = await startTelegramEmulator({ port: 0 });
  client = createEmulatorClient(emulator.url);
  bot = new Bot(TOKEN, { client: { apiRoot: emulator.url } });
  bot.command('start', (context) =>
    context.reply('Xin chào <b>bạn</b> &lt;script&gt;', {
      parse_mode: 'HTML',
      reply_markup: new InlineKeyboard().text('Chọn A', 'pick:a').text('Chọn B', 'pick:b'),
    }),
  );
  bot.callbackQuery(/^pick:/, async (context) => {
    await context.answerCallbackQuery({ text: 'Đã chọn' });
    await context.editMessageText(`Bạn đã chọn ${context.callbackQuery.data.slice(5).toUpperCase()}`);
    await context.reply('Gửi vị trí?', {
      reply_markup: new Keyboard().requestLocation('Gửi vị trí của tôi').text('Bỏ qua').oneTime().resized(),
    });
  });
  bot.on('message:location', (context) =>
    context.reply(`Vị trí ${context.message.location.latitude.toFixed(2)}`, {
      reply_markup: { remove_keyboard: true },
    }),
  );
  bot.on('message:photo', (context) => context.reply(`Ảnh ${context.message.photo.at(-1)?.width}px`));
  bot.on('message:text', (context) => context.reply(`Bạn viết:\n${context.message.text}`));
  await new Promise<void>((resolve, reject) => {
    bot.start({ onStart: () => resolve(), timeout: 30 }).catch(reject);
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await bot?.stop();
  await emulator?.close();
});

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

/** axe-core (WCAG 2.1 A/AA + best practice) over the DevTools protocol: the page's CSP refuses injected scripts. */
async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate<{ violations: { id: string; impact: string | null; help: string }[] }>(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })",
  );
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help}`);
}

async function openChat(chatId: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 390, height: 780 } });
  await page.goto(`${emulator.url}/playground?chat=${chatId}`);
  await page.waitForSelector('html[data-ready="true"]');
  return page;
}

describe('the /playground web chat', () => {
  it('starts, renders formatting safely, presses inline buttons and shows edits live', async () => {
    const page = await openChat(700_001);
    await expect(page.getByTestId('anonymity-note').textContent()).resolves.toBe(
      'Bạn đang trò chuyện ẩn danh với TinBao',
    );
    await page.getByTestId('start-button').click();
    const first = page.getByTestId('bot-message').first();
    await first.getByTestId('inline-button').first().waitFor();
    await expect(first.locator('b').textContent()).resolves.toBe('bạn');
    // The escaped "<script>" shows as text; no element was created from it.
    await expect(first.textContent()).resolves.toContain('<script>');
    expect(await page.locator('[data-testid="messages"] script').count()).toBe(0);

    expect(await seriousAxeViolations(page)).toEqual([]);

    await first.getByTestId('inline-button').filter({ hasText: 'Chọn B' }).click();
    await page.getByText('Bạn đã chọn B').waitFor();
    await expect(page.getByTestId('callback-toast').textContent()).resolves.toBe('Đã chọn');
    // The edit removed the keyboard of the first message, as Telegram does.
    expect(await first.getByTestId('inline-button').count()).toBe(0);
    await page.getByTestId('reply-keyboard').waitFor();

    await page.getByTestId('chat-input').fill('dòng một');
    await page.getByTestId('chat-input').press('Enter');
    await page.getByText('Bạn viết:').waitFor();
    const messages = await client.messages(700_001);
    expect(messages.at(-1)?.text).toBe('Bạn viết:\ndòng một');
    await page.close();
  });

  it('sends a photo and a typed-in location when the browser gives none', async () => {
    const page = await openChat(700_002);
    await page
      .getByTestId('photo-input')
      .setInputFiles({ name: 'anh.png', mimeType: 'image/png', buffer: PNG });
    await page.getByText('Ảnh 2px').waitFor();
    expect(await page.locator('[data-testid="user-message"] img').count()).toBe(1);

    // Headless Chromium has no geolocation permission here: the page asks for coordinates.
    await page.getByTestId('location-button').click();
    await page.getByTestId('location-latitude').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByTestId('location-latitude').fill('16.75');
    await page.getByTestId('location-longitude').fill('107.2');
    await page.getByTestId('location-submit').click();
    await page.getByText('Vị trí 16.75').waitFor();
    await page.close();
  });

  it('works from the keyboard, uses the reply keyboard and hides a one-time keyboard after use', async () => {
    const page = await openChat(700_003);
    await page.getByTestId('start-button').click();
    // Keyboard only: Enter on a button; the bot's edit replaces it and focus moves on, not lost.
    await page.getByTestId('inline-button').filter({ hasText: 'Chọn A' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Bạn đã chọn A').waitFor();
    await page.waitForFunction('document.activeElement?.getAttribute("data-testid") === "chat-input"');
    const keyboard = page.getByTestId('reply-keyboard');
    await keyboard.waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await keyboard.getByTestId('reply-button').filter({ hasText: 'Bỏ qua' }).click();
    await page.getByText('Bạn viết:\nBỏ qua').waitFor();
    await expect(keyboard.isHidden()).resolves.toBe(true);
    await page.close();
  });
});
