import { createRequire } from 'node:module';
import type { EmulatorPeers } from '@tinbao/emulators/common/playground';
import { startTelegramEmulator, type TelegramEmulator } from '@tinbao/emulators/telegram/server';
import { createZaloEmulatorClient, type ZaloEmulatorClient } from '@tinbao/emulators/zalo/client';
import { startZaloEmulator, type ZaloEmulator } from '@tinbao/emulators/zalo/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';

// The web chat on the Zalo emulator, driven in Chromium against a small echo bot that long-polls
// the Zalo Bot API over HTTP: plain text bubbles, a numbered menu answered by typing, a photo,
// no location, and the channel switch to the Telegram emulator's page.

const TOKEN = '5151:zalo-playground-test';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAYAAAD0In+KAAAADklEQVR4nGP4z8DwHwQBEPgD/U6VwW8AAAAASUVORK5CYII=',
  'base64',
);
const MENU = 'Bạn muốn báo gì?\nTrả lời 1, 2 hoặc 3:\n1. Mua bán\n2. Tàng trữ\n3. Khác';

let zalo: ZaloEmulator;
let telegram: TelegramEmulator;
let client: ZaloEmulatorClient;
let browser: Browser;
const stopBot = new AbortController();
let botLoop: Promise<void>;

interface ZaloUpdate {
  event_name: string;
  message: { chat: { id: string }; text?: string; photo?: string };
}

const callZalo = (method: string, body: Record<string, unknown>) =>
  fetch(`${zalo.url}/bot${TOKEN}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: stopBot.signal,
  }).then((response) => response.json() as Promise<{ ok: boolean; result?: unknown; error_code?: number }>);

/** What a Zalo adapter does, at its simplest: one update per getUpdates call, answers as text. */
async function runEchoBot(): Promise<void> {
  while (!stopBot.signal.aborted) {
    const answer = await callZalo('getUpdates', { timeout: 30 }).catch(() => undefined);
    if (!answer?.ok) continue;
    const update = answer.result as ZaloUpdate;
    const chatId = update.message.chat.id;
    const text = update.message.text;
    let reply: string;
    if (update.event_name === 'message.image.received') reply = 'Đã nhận ảnh';
    else if (text === 'Xin chào' || text === 'menu') reply = MENU;
    else if (text === '2') reply = 'Bạn chọn: Tàng trữ';
    else reply = `Bạn viết: ${text ?? ''}`;
    await callZalo('sendMessage', { chat_id: chatId, text: reply }).catch(() => undefined);
  }
}

beforeAll(async () => {
  const peers: EmulatorPeers = {};
  telegram = await startTelegramEmulator({ port: 0, peers });
  zalo = await startZaloEmulator({ port: 0, peers });
  peers.telegram = telegram.url;
  peers.zalo = zalo.url;
  client = createZaloEmulatorClient(zalo.url);
  botLoop = runEchoBot();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  stopBot.abort();
  await botLoop;
  await zalo?.close();
  await telegram?.close();
});

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate<{ violations: { id: string; impact: string | null; help: string }[] }>(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })",
  );
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help}`);
}

async function openChat(base: string, chatId: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 390, height: 780 } });
  await page.goto(`${base}/playground?chat=${chatId}`);
  await page.waitForSelector('html[data-ready="true"]');
  return page;
}

describe('the /playground web chat on Zalo', () => {
  it('shows plain text bubbles, a numbered menu answered by typing, and no buttons or location', async () => {
    const page = await openChat(zalo.url, 'pg-zalo-1');
    expect(await page.getAttribute('html', 'data-channel')).toBe('zalo');
    await expect(page.getByTestId('anonymity-note').textContent()).resolves.toBe(
      'Bạn đang trò chuyện ẩn danh với TinBao',
    );
    expect(await page.getByTestId('location-button').count()).toBe(0);
    expect(await page.getByTestId('reply-keyboard').count()).toBe(0);

    await page.getByTestId('start-button').click();
    const menu = page.getByTestId('bot-message').first();
    await menu.getByText('3. Khác').waitFor();
    expect(await page.getByTestId('inline-button').count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByTestId('chat-input').fill('2');
    await page.getByTestId('chat-send').click();
    await page.getByText('Bạn chọn: Tàng trữ').waitFor();
    // Text stays text: markup a bot sends is shown, never run.
    await page.getByTestId('chat-input').fill('<b>đậm</b>');
    await page.getByTestId('chat-input').press('Enter');
    await page.getByText('Bạn viết: <b>đậm</b>').waitFor();
    expect(await page.locator('[data-testid="messages"] b').count()).toBe(0);

    const messages = await client.messages('pg-zalo-1', { all: true });
    expect(messages.map((message) => [message.from_bot, message.text])).toEqual([
      [false, 'Xin chào'],
      [true, MENU],
      [false, '2'],
      [true, 'Bạn chọn: Tàng trữ'],
      [false, '<b>đậm</b>'],
      [true, 'Bạn viết: <b>đậm</b>'],
    ]);
    expect(await page.getByTestId('user-message').count()).toBe(3);
    await page.close();
  });

  it('sends a photo, shown from the emulator even after its Zalo link expired', async () => {
    const page = await openChat(zalo.url, 'pg-zalo-2');
    await page
      .getByTestId('photo-input')
      .setInputFiles({ name: 'anh.png', mimeType: 'image/png', buffer: PNG });
    await page.getByText('Đã nhận ảnh').waitFor();
    const image = page.locator('[data-testid="user-message"] img');
    expect(await image.count()).toBe(1);
    expect(await image.getAttribute('src')).toMatch(/^\/_emulator\/media\/[0-9a-f]{32}\.jpg$/);
    await page.close();
  });

  it('switches between the Zalo and Telegram playgrounds, and hides the switch link when alone', async () => {
    const page = await openChat(zalo.url, 'pg-zalo-3');
    const link = page.getByTestId('channel-switch').getByTestId('channel-link');
    await expect(page.getByTestId('channel-current').textContent()).resolves.toBe('Zalo');
    expect(await link.getAttribute('href')).toBe(`${telegram.url}/playground`);
    await link.click();
    await page.waitForSelector('html[data-ready="true"][data-channel="telegram"]');
    await expect(page.getByTestId('channel-current').textContent()).resolves.toBe('Telegram');
    expect(await page.getByTestId('channel-link').getAttribute('href')).toBe(`${zalo.url}/playground`);
    expect(await page.getByTestId('location-button').count()).toBe(1);
    await page.close();

    const alone = await startZaloEmulator({ port: 0 });
    try {
      const lonely = await openChat(alone.url, 'pg-alone');
      await expect(lonely.getByTestId('channel-link').isHidden()).resolves.toBe(true);
      await expect(lonely.getByTestId('channel-switch').isVisible()).resolves.toBe(true);
      await lonely.close();
    } finally {
      await alone.close();
    }
  });
});
