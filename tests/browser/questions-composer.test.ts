import { randomUUID } from 'node:crypto';
import type { TestUser } from '@tinbao/api/auth/testing';
import { tipAnswers } from '@tinbao/api/platform/schema';
import { communePoliceUnitId, createTestTip } from '@tinbao/api/tips/testing';
import { sealAnswer, submitSealedAnswer } from '@tinbao/shared';
import { eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginThroughUi, type ModerationWorld, startModerationWorld } from './moderation-harness';

// The composer of questions to the resident in the browser: its fixed visibility said before
// writing, a template, the question in the list and the timeline; then an answer arrives through
// the real intake queue, shows as a badge in the queue and decrypted on the tip page.
const COMMUNE = '19564';
let world: ModerationWorld;
let moderator: TestUser;
let officer: TestUser;
let redis: Redis;

beforeAll(async () => {
  world = await startModerationWorld();
  moderator = await world.createUser({ role: 'moderator', displayName: 'Nguyễn Thị Lan' });
  const unitId = await communePoliceUnitId(world.api.database.db, COMMUNE);
  officer = await world.createUser({ role: 'unit_officer', unitId });
  redis = new Redis('redis://127.0.0.1:6379');
});
afterAll(async () => {
  redis?.disconnect();
  await world?.close();
});

/** Polls the database (an external state) until the answer is stored. */
async function waitForAnswer(questionId: string) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const rows = await world.api.database.db
      .select()
      .from(tipAnswers)
      .where(eq(tipAnswers.questionId, questionId));
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the answer was not stored');
}

describe('questions to the resident in the moderation UI', () => {
  it('a moderator asks from a template; the answer comes back as a badge and decrypted', async () => {
    const db = world.api.database.db;
    const unitId = await communePoliceUnitId(db, COMMUNE);
    const tip = await createTestTip(db, world.api.orgKeys.publicKey, {
      communeCode: COMMUNE,
      status: 'routed',
      routedTo: [unitId],
    });
    const { context, page } = await world.newPage();
    await loginThroughUi(world, page, moderator);
    await page.goto(`${world.baseUrl}/tips/${tip.id}`);
    // Both composers say who will read what is typed, before anything is typed.
    await expect
      .poll(() => page.getByTestId('question-visibility').textContent())
      .toContain('Câu hỏi gửi người báo tin (người báo tin sẽ đọc được)');
    expect(await page.getByTestId('note-visibility').textContent()).toContain('Ghi chú nội bộ');

    await page
      .getByTestId('question-template')
      .filter({ hasText: 'Việc này thường diễn ra vào giờ nào?' })
      .click();
    expect(await page.getByTestId('question-input').inputValue()).toBe(
      'Việc này thường diễn ra vào giờ nào?',
    );
    await page.getByTestId('question-submit').click();
    const asked = page
      .getByTestId('tip-question')
      .filter({ hasText: 'Việc này thường diễn ra vào giờ nào?' });
    await asked.waitFor();
    expect(await asked.getAttribute('data-state')).toBe('open');
    await page
      .getByTestId('timeline-question-text')
      .filter({ hasText: 'Việc này thường diễn ra vào giờ nào?' })
      .waitFor();

    // The resident's answer, sealed as the gateway seals it, through the api process's intake worker.
    const [question] = (
      await page.request.get(`${world.baseUrl}/api/v1/tips/${tip.id}/questions`).then((r) => r.json())
    ).questions as { id: string }[];
    const clear = {
      answerId: randomUUID(),
      tipId: tip.id,
      questionId: question!.id,
      answeredAt: new Date().toISOString(),
    };
    await submitSealedAnswer(
      { redis, redisPrefix: world.config.REDIS_PREFIX, intakeQueue: world.api.queues.intake as never },
      { clear, envelope: await sealAnswer('Thường sau 10 giờ tối.', clear, [world.api.orgKeys.publicKey]) },
    );
    await waitForAnswer(question!.id);

    await page.goto(`${world.baseUrl}/tips?status=routed`);
    await page.getByTestId('unread-answers').filter({ hasText: '1 trả lời mới' }).waitFor();
    await page.goto(`${world.baseUrl}/tips/${tip.id}`);
    await page.getByTestId('question-answer').filter({ hasText: 'Thường sau 10 giờ tối.' }).waitFor();
    await page.getByTestId('timeline-question-text').filter({ hasText: 'Thường sau 10 giờ tối.' }).waitFor();
    // Opened: the badge is gone.
    await page.goto(`${world.baseUrl}/tips?status=routed`);
    await page.getByTestId('tip-list').waitFor();
    expect(await page.getByTestId('unread-answers').count()).toBe(0);
    await context.close();

    // The officer (officers may not ask here): no questions card at all.
    const officerPage = await world.newPage();
    await loginThroughUi(world, officerPage.page, officer);
    await officerPage.page.goto(`${world.baseUrl}/inbox/${tip.id}`);
    await officerPage.page.getByTestId('note-visibility').waitFor();
    expect(await officerPage.page.getByTestId('tip-questions-card').count()).toBe(0);
    await officerPage.context.close();
  });
});
