import type { TestUser } from '@tinbao/api/auth/testing';
import { totpCode } from '@tinbao/api/auth/testing';
import { users } from '@tinbao/api/platform/schema';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ModerationWorld, startModerationWorld } from './moderation-harness';

let world: ModerationWorld;
let moderator: TestUser;
const cspErrors: string[] = [];

beforeAll(async () => {
  // The test speaks for the guessers' many addresses through X-Forwarded-For.
  world = await startModerationWorld({ TRUST_PROXY: 'loopback' });
  moderator = await world.createUser({ role: 'moderator', displayName: 'Lê Văn Hùng' });
});

afterAll(async () => {
  await world?.close();
});

/** Password and TOTP through the login page, timing the password step (the proof of work, if any). */
async function logIn(page: Page, user: TestUser): Promise<{ passwordStepMs: number; proved: boolean }> {
  await world.api.database.db.update(users).set({ totpLastStep: null }).where(eq(users.id, user.id));
  await page.goto(`${world.baseUrl}/login`);
  await page.getByTestId('login-username').fill(user.username);
  await page.getByTestId('login-password').fill(user.password);
  // What the browser sent: a second password step carrying `pow` means it solved a puzzle.
  let proved = false;
  const onRequest = (request: { url(): string; postData(): string | null }) => {
    if (request.url().endsWith('/api/v1/auth/login') && request.postData()?.includes('"pow"')) proved = true;
  };
  page.on('request', onRequest);
  const started = Date.now();
  await page.getByTestId('login-submit').click();
  await page.getByTestId('totp-form').or(page.getByTestId('login-error')).waitFor({ timeout: 30_000 });
  if (await page.getByTestId('login-error').isVisible()) {
    throw new Error(`the login page says: ${await page.getByTestId('login-error').innerText()}`);
  }
  const passwordStepMs = Date.now() - started;
  await page.getByTestId('login-code').fill(totpCode(user));
  await page.getByTestId('login-verify').click();
  await page.getByTestId('current-user').waitFor();
  page.off('request', onRequest);
  return { passwordStepMs, proved };
}

describe('moderation UI: logging in while the account is being guessed', () => {
  it('solves the proof of work in the browser (Vietnamese notice), then a known device logs in without it', async () => {
    // Someone else guessed at this account from five addresses (LOGIN_POW_AFTER_FAILURES' default).
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${world.baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.99.0.${i + 1}` },
        body: JSON.stringify({ username: moderator.username, password: `someone's guess ${i}` }),
      });
      expect(res.status).toBe(401);
    }
    const { context, page } = await world.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy|WebAssembly/i.test(message.text())) cspErrors.push(message.text());
    });
    // The notice the moderator reads while the browser works.
    const notice = page
      .getByTestId('login-proving')
      .waitFor({ timeout: 30_000 })
      .then(() => page.getByTestId('login-proving').innerText());
    const first = await logIn(page, moderator);
    expect(await notice).toContain('phép tính chống dò mật khẩu');
    expect(first.proved).toBe(true);
    console.log(
      `browser proof of work (10 bits, argon2id 1 MiB) and password step: ${first.passwordStepMs} ms`,
    );

    // The same browser again: a known device, asked nothing more than password and code.
    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor();
    const second = await logIn(page, moderator);
    expect(second.proved).toBe(false);
    expect(cspErrors).toEqual([]);
    await context.close();
  });
});
