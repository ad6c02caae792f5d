import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createTestUser, type TestUser, totpCode } from '@tinbao/api/auth/testing';
import { type ApiConfig, ApiConfigSchema } from '@tinbao/api/config';
import { users } from '@tinbao/api/platform/schema';
import { createApiScratch } from '@tinbao/api/platform/test-scratch';
import { type ApiProcess, startApiProcess } from '@tinbao/api/server';
import { seedTestAdminUnits } from '@tinbao/api/tips/testing';
import { ensureUiBuilt } from '@tinbao/moderation-ui/scripts/ensure-built';
import { createLogger } from '@tinbao/shared';
import { createLogCapture } from '@tinbao/shared/testing/log-capture';
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchChromium } from '../support/browser';
import { freePort, REPO_ROOT } from '../support/processes';

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1366, height: 900 };
export const SCREENSHOT_DIR = join(REPO_ROOT, 'tests/artifacts/screenshots');

export { ensureUiBuilt };

export interface ModerationWorld {
  api: ApiProcess;
  config: ApiConfig;
  baseUrl: string;
  browser: Browser;
  logs: ReturnType<typeof createLogCapture>;
  createUser(options: Parameters<typeof createTestUser>[2]): Promise<TestUser>;
  /** A fresh browser context (own cookies) at the given viewport. */
  newPage(viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

/** `env`: more api settings (e.g. TRUST_PROXY for a test that speaks for many clients). */
export async function startModerationWorld(env: Record<string, string> = {}): Promise<ModerationWorld> {
  ensureUiBuilt();
  const cleanups: Array<() => Promise<unknown>> = [];
  const { dataDir, masterKey, prefix, databaseUrl } = await createApiScratch(
    'ui',
    { postgres: true },
    cleanups,
  );

  const port = await freePort();
  const config = ApiConfigSchema.parse({
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    REDIS_URL: 'redis://127.0.0.1:6379',
    REDIS_PREFIX: prefix,
    TINBAO_MASTER_KEY: masterKey.toString('hex'),
    COOKIE_SECURE: 'false',
    LOGIN_IP_FAILURE_LIMIT: '100000',
    SEED_ADMIN_UNITS: 'false',
    LOG_LEVEL: 'info',
    ...env,
  });
  const logs = createLogCapture();
  const logger = createLogger({ name: 'api', level: 'info', destination: logs.stream });
  const api = await startApiProcess(config, logger);
  cleanups.push(() => api.close());
  // Quảng Trị (44) only: all 3,321 communes would cost seconds and show nothing more.
  await seedTestAdminUnits(api.database.db, ['44']);

  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  mkdirSync(SCREENSHOT_DIR, { recursive: true });

  return {
    api,
    config,
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    logs,
    createUser: (options) => createTestUser(api.database.db, { config }, options),
    newPage: async (viewport = DESKTOP) => {
      const context = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
      return { context, page };
    },
    close: async () => {
      for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error(error));
    },
  };
}

/** Logs in through the UI: password, then the TOTP code (the replay marker cleared first). */
export async function loginThroughUi(world: ModerationWorld, page: Page, user: TestUser): Promise<void> {
  await world.api.database.db.update(users).set({ totpLastStep: null }).where(eq(users.id, user.id));
  await page.goto(`${world.baseUrl}/login`);
  await page.getByTestId('login-username').fill(user.username);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('totp-form').waitFor();
  await page.getByTestId('login-code').fill(totpCode(user));
  await page.getByTestId('login-verify').click();
  await page.getByTestId('current-user').waitFor();
}

/** A full-page screenshot at phone and desktop width: tests/artifacts/screenshots/<name>-{phone,desktop}.png. */
export async function screenshotBoth(page: Page, name: string): Promise<void> {
  const original = page.viewportSize() ?? DESKTOP;
  for (const [label, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    await page.setViewportSize(viewport);
    // From the top, so the sticky header is not painted in the middle of a full-page shot.
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(original);
}

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** Runs axe-core in the page (WCAG 2.1 A/AA rules); returns the serious and critical violations. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  // String expressions: the root tsconfig has no DOM lib, and these run in the page anyway.
  // axe is evaluated over the DevTools protocol: an injected <script> would (rightly) be
  // refused by the app's CSP (script-src 'self').
  if (!(await page.evaluate<boolean>("typeof window.axe === 'object'"))) await page.evaluate(axeSource);
  const result = await page.evaluate<{ violations: AxeViolation[] }>(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })",
  );
  return result.violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
}

/** The page is no wider than the viewport (a phone must never scroll sideways). */
export async function expectNoHorizontalOverflow(page: Page, name: string): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate<{ scrollWidth: number; innerWidth: number }>(
    '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
  );
  expect(scrollWidth, `${name}: page width at ${innerWidth}px`).toBeLessThanOrEqual(innerWidth);
}

/** Screenshots at both widths and axe at both widths: no serious or critical violation, no sideways scroll. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await screenshotBoth(page, name);
  for (const viewport of [PHONE, DESKTOP]) {
    await page.setViewportSize(viewport);
    await expectNoHorizontalOverflow(page, name);
    const violations = await seriousAxeViolations(page);
    expect(
      violations.map(
        (v) =>
          `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
      ),
      `${name} at ${viewport.width}px`,
    ).toEqual([]);
  }
  await page.setViewportSize(DESKTOP);
}
