import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { WEB_TEXT } from '@tinbao/bot/channels/web/copy';
import { CATEGORY_LABELS, TEXT, VENUE_LABELS, WHEN_LABELS } from '@tinbao/bot/conversation/messages';
import { jpegWithGps } from '@tinbao/bot/testing/photos';
import { openSealedTip, TipContentSchema } from '@tinbao/shared';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotWorld, receiptOf, startBotWorld, waitForTip } from '../support/bot-world';
import { launchChromium } from '../support/browser';
import { REPO_ROOT } from '../support/processes';

// The web form in Debian's Chromium with JavaScript disabled: a tip with a photo at phone
// (390 px) and desktop (1366 px) width, a screenshot of every page, and axe-core on every
// page (injected by the test into a copy of the page with scripts on: the form itself never
// runs any), plus no horizontal scrolling at 320 px.
const SCREENSHOT_DIR = join(REPO_ROOT, 'tests/artifacts/screenshots');
const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

let world: BotWorld;
let browser: Browser;
/** Each page seen without JavaScript: its URL and markup, checked by axe afterwards. */
const seen = new Map<string, { url: string; html: string }>();

beforeAll(async () => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  world = await startBotWorld();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await world?.close();
});

/** Clicks something that submits a form and waits for the page it leads to (post/redirect/get). */
async function submitBy(page: Page, target: Locator) {
  const navigated = page.waitForEvent('framenavigated');
  await target.click();
  await navigated;
  await page.waitForLoadState('load');
}

async function capture(page: Page, name: string, width: number) {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `web-form-${name}-${width}.png`), fullPage: true });
  seen.set(name, { url: page.url(), html: await page.content() });
  // Evaluation by the test (not a page script): nothing wider than the screen.
  expect(
    await page.evaluate('document.documentElement.scrollWidth'),
    `${name} at ${width} px`,
  ).toBeLessThanOrEqual(width);
}

describe('the web form without JavaScript in Chromium', () => {
  it.each([390, 1366])('completes a tip with a photo at %i px', async (width) => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width, height: 800 },
      extraHTTPHeaders: { 'x-forwarded-for': `192.0.2.${width % 250}` },
    });
    const page = await context.newPage();
    await page.goto(world.web().url());
    await capture(page, 'welcome', width);
    await page.getByText(WEB_TEXT.torTitle).waitFor();
    await submitBy(page, page.getByRole('button', { name: WEB_TEXT.startButton }));

    await page.getByText(TEXT.askCategory).waitFor();
    await capture(page, 'category', width);
    await page.getByRole('radio', { name: CATEGORY_LABELS.mua_ban }).check();
    await submitBy(page, page.getByRole('button', { name: WEB_TEXT.next }));

    await capture(page, 'province', width);
    await page.getByLabel(WEB_TEXT.provinceSearchLabel).fill('quang tri');
    await submitBy(page, page.getByRole('button', { name: WEB_TEXT.search }));
    await capture(page, 'commune', width);
    await page.getByLabel(WEB_TEXT.communeSearchLabel).fill('dak rong');
    await submitBy(page, page.getByRole('button', { name: WEB_TEXT.search }));
    await capture(page, 'commune-matches', width);
    await page.getByRole('radio', { name: 'Xã Đakrông (Quảng Trị)' }).check();
    await submitBy(page, page.getByRole('button', { name: WEB_TEXT.next }));

    await capture(page, 'venue', width);
    await page.getByRole('radio', { name: VENUE_LABELS.karaoke }).check();
    await submitBy(page, page.getByRole('button', { name: WEB_TEXT.next }));
    // «Quay lại» works too: back to the venue, then on.
    await submitBy(page, page.getByRole('button', { name: '« Quay lại' }));
    await page.getByText(TEXT.askVenue).waitFor();
    await page.getByRole('radio', { name: VENUE_LABELS.karaoke }).check();
    await submitBy(page, page.getByRole('button', { name: WEB_TEXT.next }));

    await capture(page, 'when', width);
    await page.getByRole('radio', { name: WHEN_LABELS.hom_nay }).check();
    await submitBy(page, page.getByRole('button', { name: WEB_TEXT.next }));

    await capture(page, 'description', width);
    const description = `Có người bán ma túy ở quán karaoke đầu ngõ, tối nào cũng thấy (${width} px).`;
    await page.getByLabel(WEB_TEXT.descriptionLabel).fill(description);
    await submitBy(page, page.getByRole('button', { name: WEB_TEXT.next }));

    await capture(page, 'photos', width);
    await page.getByLabel(WEB_TEXT.photoLabel).setInputFiles({
      name: 'anh.jpg',
      mimeType: 'image/jpeg',
      buffer: await jpegWithGps(800, 600),
    });
    await submitBy(page, page.getByRole('button', { name: WEB_TEXT.upload }));
    await page.getByText(TEXT.photoReceived(1)).waitFor();
    await capture(page, 'photos-received', width);
    await submitBy(page, page.getByRole('button', { name: 'Xong' }));

    await capture(page, 'consent', width);
    await page.getByRole('radio', { name: 'Không' }).check();
    await submitBy(page, page.getByRole('button', { name: WEB_TEXT.next }));

    await page.getByText(TEXT.summaryTitle).waitFor();
    await capture(page, 'summary', width);
    await submitBy(page, page.getByRole('button', { name: 'Gửi', exact: true }));

    const receipt = page.locator('[data-receipt]');
    const receiptCode = receiptOf((await receipt.textContent()) ?? '')!;
    expect(receiptCode).toBeDefined();
    // Large, and selected in one tap (CSS user-select: all; no script needed to copy it).
    const style = "getComputedStyle(document.querySelector('[data-receipt]'))";
    expect(await page.evaluate(`${style}.userSelect`)).toBe('all');
    expect(Number.parseFloat(await page.evaluate<string>(`${style}.fontSize`))).toBeGreaterThanOrEqual(28);
    await capture(page, 'receipt', width);

    await page.getByRole('link', { name: WEB_TEXT.statusLink }).first().click();
    await page.getByLabel(WEB_TEXT.statusLabel).fill(receiptCode);
    await submitBy(page, page.getByRole('button', { name: WEB_TEXT.statusButton }));
    await page.getByText(TEXT.statusComing(receiptCode)).waitFor();
    await capture(page, 'status', width);

    const rows = await waitForTip(world, receiptCode);
    expect(rows).toHaveLength(1);
    const content = TipContentSchema.parse(
      await openSealedTip(new Uint8Array(rows[0]!.envelope), rows[0]!, world.org),
    );
    expect(content).toMatchObject({
      category: 'mua_ban',
      communeCode: '19564',
      venueType: 'karaoke',
      description,
    });
    expect(content.photos).toHaveLength(1);
    await context.close();
  });

  it('has no serious or critical axe-core violation on any page, and none is wider than 320 px', async () => {
    expect(seen.size).toBeGreaterThanOrEqual(14);
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    const problems: string[] = [];
    for (const [name, { url, html }] of seen) {
      // The page as the resident saw it, at its own address (so its stylesheet loads), with
      // scripts on for axe alone.
      await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: html }));
      await page.goto(url);
      expect(
        await page.evaluate('document.documentElement.scrollWidth'),
        `${name} at 320 px`,
      ).toBeLessThanOrEqual(320);
      if (name === 'summary' || name === 'commune-matches')
        await page.screenshot({ path: join(SCREENSHOT_DIR, `web-form-${name}-320.png`), fullPage: true });
      await page.evaluate(axeSource);
      const result = await page.evaluate<{
        violations: { id: string; impact: string | null; help: string }[];
      }>(
        "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })",
      );
      for (const violation of result.violations)
        if (violation.impact === 'serious' || violation.impact === 'critical')
          problems.push(`${name}: ${violation.id}: ${violation.help}`);
      await page.unroute(url);
    }
    expect(problems).toEqual([]);
    await context.close();
  });
});
