import { randomBytes, randomUUID } from 'node:crypto';
import {
  answerRecordKey,
  bullPrefix,
  QUEUE_NAMES,
  type StoreAnswerJob,
  sealAnswer,
  sealJson,
  submitSealedAnswer,
} from '@tinbao/shared';
import { TipQuestionListResponseSchema } from '@tinbao/shared/api/questions';
import { ReceiptStatusResponseSchema } from '@tinbao/shared/api/tips';
import { MAX_OPEN_QUESTIONS } from '@tinbao/shared/questions/index';
import { Queue, QueueEvents, type Worker } from 'bullmq';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../platform/metrics';
import { tipAnswers, tipQuestions } from '../platform/schema';
import { COMMUNE_A, createWorkflowHarness, type WorkflowHarness } from '../tips/test-harness';
import { createTestTip } from '../tips/testing';
import { startWorkers } from '../workers';
import { listQuestions, mayAsk } from './service';

const BOT_TOKEN = randomBytes(32).toString('base64url');
let h: WorkflowHarness;
let workers: Worker[];
let intake: Queue<StoreAnswerJob>;
let events: QueueEvents;

beforeAll(async () => {
  h = await createWorkflowHarness('pglite', { TINBAO_BOT_API_TOKEN: BOT_TOKEN });
  workers = startWorkers(
    {
      db: h.database.db,
      redis: h.queueRedis,
      queueConnection: h.queueRedis,
      redisPrefix: h.prefix,
      queues: h.queues,
      orgKeys: h.orgKeys,
      metrics: createMetrics(),
      logger: h.logger,
    },
    { concurrency: 2, lockDurationMs: 30_000 },
  );
  intake = new Queue<StoreAnswerJob>(QUEUE_NAMES.intake, {
    connection: h.queueRedis,
    prefix: bullPrefix(h.prefix),
  });
  events = new QueueEvents(QUEUE_NAMES.intake, {
    connection: h.queueRedis.duplicate(),
    prefix: bullPrefix(h.prefix),
  });
  await events.waitUntilReady();
});
afterAll(async () => {
  await Promise.all(workers?.map((worker) => worker.close()) ?? []);
  await intake?.close();
  await events?.close();
  await h?.destroy();
});

const routedTip = () =>
  createTestTip(h.database.db, h.orgKeys.publicKey, {
    communeCode: COMMUNE_A,
    status: 'routed',
    routedTo: [h.unitA],
  });

const gatewayLookup = (code: string) =>
  h.agents.anonymous
    .get(`/api/v1/receipts/${code}`)
    .set('x-tinbao-bot-token', BOT_TOKEN)
    .set('x-tinbao-resident', `r${randomBytes(12).toString('hex')}`);

/** Seals an answer as the gateway does and waits for the intake worker's verdict. */
async function answer(tipId: string, questionId: string, text: string, answerId = randomUUID()) {
  const clear = { answerId, tipId, questionId, answeredAt: new Date().toISOString() };
  await submitSealedAnswer(
    { redis: h.queueRedis, redisPrefix: h.prefix, intakeQueue: intake },
    { clear, envelope: await sealAnswer(text, clear, [h.orgKeys.publicKey]) },
  );
  const job = (await intake.getJob(`answer-${answerId}`))!;
  try {
    return { answerId, result: await job.waitUntilFinished(events, 15_000) };
  } catch (error) {
    return { answerId, error: (error as Error).message };
  }
}

describe('questions to the resident', () => {
  it('a moderator asks; the gateway sees the open question; the answer is stored once and shown decrypted', async () => {
    const tip = await routedTip();
    const asked = await h.agents.moderator
      .post(`/api/v1/tips/${tip.id}/questions`)
      .send({ text: 'Bạn có thể mô tả rõ hơn địa điểm không?' });
    expect(asked.status).toBe(201);
    const questionId = asked.body.question.id as string;
    expect(asked.body.question).toMatchObject({ state: 'open', answer: null });

    // Stored sealed: the text is nowhere in the row.
    const [row] = await h.database.db.select().from(tipQuestions).where(eq(tipQuestions.id, questionId));
    expect(Buffer.from(row!.envelope).toString('utf8')).not.toContain('địa điểm');

    // The gateway (bot token) gets the tip id and the question; anyone else the status only.
    const forGateway = ReceiptStatusResponseSchema.parse((await gatewayLookup(tip.receiptCode)).body);
    expect(forGateway).toMatchObject({
      status: 'forwarded',
      tipId: tip.id,
      questions: [{ id: questionId, text: 'Bạn có thể mô tả rõ hơn địa điểm không?' }],
    });
    const forAnyone = await h.agents.anonymous.get(`/api/v1/receipts/${tip.receiptCode}`);
    expect(forAnyone.body).toEqual({ ok: true, status: 'forwarded' });

    const first = await answer(tip.id, questionId, 'Ngôi nhà thứ ba sau chợ, cổng xanh.');
    expect(first.result).toEqual({ answerId: first.answerId, stored: true });
    expect(await h.queueRedis.exists(answerRecordKey(h.prefix, first.answerId))).toBe(0);
    // The same answer sent again is the same job (its id comes from the answer id): one row.
    const again = await answer(tip.id, questionId, 'Ngôi nhà thứ ba sau chợ, cổng xanh.', first.answerId);
    expect(again.result).toEqual({ answerId: first.answerId, stored: true });
    // Another answer to the answered question is refused for good.
    const second = await answer(tip.id, questionId, 'Một câu trả lời khác');
    expect(second.error).toContain('question_answered');
    expect(
      await h.database.db.select().from(tipAnswers).where(eq(tipAnswers.questionId, questionId)),
    ).toHaveLength(1);

    // The queue's badge, then the moderator opens the answers and it goes away.
    const badge = async () =>
      (await h.agents.moderator.get('/api/v1/tips?limit=100&status=routed')).body.items.find(
        (item: { id: string }) => item.id === tip.id,
      ).unreadAnswers;
    expect(await badge()).toBe(1);
    const listed = TipQuestionListResponseSchema.parse(
      (await h.agents.moderator.get(`/api/v1/tips/${tip.id}/questions`)).body,
    );
    expect(listed.questions[0]).toMatchObject({
      id: questionId,
      state: 'answered',
      answer: { text: 'Ngôi nhà thứ ba sau chợ, cổng xanh.' },
    });
    expect(await badge()).toBe(0);
    // The routed unit's officer reads it too (the harness allows officers to ask).
    const officer = await h.agents.officerRouted.get(`/api/v1/tips/${tip.id}/questions`);
    expect(officer.body.questions[0].answer.text).toBe('Ngôi nhà thứ ba sau chợ, cổng xanh.');
    expect(officer.body.questions[0].askedBy).toBeUndefined();

    // The timeline has the question's life, ids only.
    const timeline = await h.agents.moderator.get(`/api/v1/tips/${tip.id}/timeline`);
    const actions = timeline.body.events.map((event: { action: string }) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['tip.question_asked', 'tip.question_answered']));
    expect(JSON.stringify(timeline.body)).not.toContain('cổng xanh');
    // Answered: the gateway no longer offers it.
    expect((await gatewayLookup(tip.receiptCode)).body.questions).toEqual([]);
  });

  it('withdraws an open question; an answer to it is refused; a withdrawn or answered one cannot be withdrawn again', async () => {
    const tip = await routedTip();
    const asked = await h.agents.moderator
      .post(`/api/v1/tips/${tip.id}/questions`)
      .send({ text: 'Việc này thường diễn ra vào giờ nào?' });
    const questionId = asked.body.question.id as string;
    const withdrawn = await h.agents.moderator.post(
      `/api/v1/tips/${tip.id}/questions/${questionId}/withdraw`,
    );
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.question.state).toBe('withdrawn');
    expect((await gatewayLookup(tip.receiptCode)).body.questions).toEqual([]);
    expect((await answer(tip.id, questionId, 'Khoảng 10 giờ tối')).error).toContain('question_withdrawn');
    const twice = await h.agents.moderator.post(`/api/v1/tips/${tip.id}/questions/${questionId}/withdraw`);
    expect(twice.status).toBe(409);
    expect(twice.body.error).toBe('question_not_open');
    const unknown = await h.agents.moderator.post(
      `/api/v1/tips/${tip.id}/questions/${randomUUID()}/withdraw`,
    );
    expect(unknown.status).toBe(404);
  });

  it('refuses answers bound elsewhere, of another tip, or with a bad text', async () => {
    const tip = await routedTip();
    const other = await routedTip();
    const asked = await h.agents.moderator
      .post(`/api/v1/tips/${tip.id}/questions`)
      .send({ text: 'Có bao nhiêu người liên quan?' });
    const questionId = asked.body.question.id as string;
    // The question belongs to another tip.
    expect((await answer(other.id, questionId, 'Ba người')).error).toContain('question_unknown');
    // Empty after trimming, invisible-only, too long: the gateway refuses them first; the worker too.
    expect((await answer(tip.id, questionId, '\u200b\u200b')).error).toContain('answer_invalid');
    // An envelope sealed for another answer id.
    const answerId = randomUUID();
    const clear = { answerId, tipId: tip.id, questionId, answeredAt: new Date().toISOString() };
    const foreign = await sealAnswer('Ba người', { ...clear, answerId: randomUUID() }, [h.orgKeys.publicKey]);
    await submitSealedAnswer(
      { redis: h.queueRedis, redisPrefix: h.prefix, intakeQueue: intake },
      { clear, envelope: foreign },
    );
    const job = (await intake.getJob(`answer-${answerId}`))!;
    await expect(job.waitUntilFinished(events, 15_000)).rejects.toThrow('envelope_mismatch');
    // An unbound envelope (no context) does not pass either.
    const unboundId = randomUUID();
    const unbound = { ...clear, answerId: unboundId };
    await submitSealedAnswer(
      { redis: h.queueRedis, redisPrefix: h.prefix, intakeQueue: intake },
      { clear: unbound, envelope: await sealJson({ text: 'Ba người' }, [h.orgKeys.publicKey]) },
    );
    await expect(
      (await intake.getJob(`answer-${unboundId}`))!.waitUntilFinished(events, 15_000),
    ).rejects.toThrow('envelope_mismatch');
    expect(await h.database.db.select().from(tipAnswers).where(eq(tipAnswers.tipId, tip.id))).toHaveLength(0);
  });

  it(`keeps at most ${MAX_OPEN_QUESTIONS} open questions per tip`, async () => {
    const tip = await routedTip();
    for (let index = 0; index < MAX_OPEN_QUESTIONS; index++) {
      const response = await h.agents.moderator
        .post(`/api/v1/tips/${tip.id}/questions`)
        .send({ text: `Câu hỏi số ${index + 1}?` });
      expect(response.status).toBe(201);
    }
    const over = await h.agents.moderator
      .post(`/api/v1/tips/${tip.id}/questions`)
      .send({ text: 'Một câu nữa?' });
    expect(over.status).toBe(409);
    expect(over.body.error).toBe('too_many_open_questions');
    const empty = await h.agents.moderator.post(`/api/v1/tips/${tip.id}/questions`).send({ text: '   ' });
    expect(empty.status).toBe(400);
  });

  it('officers ask and read only when the admin allows it', async () => {
    const tip = await routedTip();
    const officer = {
      userId: h.users.officerRouted.id,
      role: 'unit_officer' as const,
      unitId: h.unitA,
      provinceCode: null,
    };
    expect(mayAsk(officer, false)).toBe(false);
    expect(mayAsk(officer, true)).toBe(true);
    await expect(
      listQuestions({ db: h.database.db, orgKeys: h.orgKeys, officersMayAsk: false }, officer, tip.id),
    ).rejects.toMatchObject({ status: 403 });
  });
});

describe('the visibility rule: a note never reaches the resident', () => {
  it('a note is in no receipt answer and no question list; no route turns one kind into the other', async () => {
    const tip = await routedTip();
    const marker = `ghi-chu-noi-bo-${randomBytes(4).toString('hex')}`;
    expect(
      (await h.agents.moderator.post(`/api/v1/tips/${tip.id}/notes`).send({ body: marker })).status,
    ).toBe(201);
    expect(
      (await h.agents.officerRouted.post(`/api/v1/tips/${tip.id}/notes`).send({ body: `${marker}-unit` }))
        .status,
    ).toBe(201);
    await h.agents.moderator
      .post(`/api/v1/tips/${tip.id}/questions`)
      .send({ text: 'Câu hỏi gửi người báo tin?' });
    for (const response of [
      await gatewayLookup(tip.receiptCode),
      await h.agents.anonymous.get(`/api/v1/receipts/${tip.receiptCode}`),
      await h.agents.moderator.get(`/api/v1/tips/${tip.id}/questions`),
    ]) {
      expect(response.status).toBe(200);
      expect(JSON.stringify(response.body)).not.toContain(marker);
    }
    // Every route of the API: none under /questions takes a note, none under /notes takes a question.
    const { featureRouteSpecs } = await import('../features');
    const specs = featureRouteSpecs(h.featureDeps);
    const paths = specs.map((spec) => `${spec.method.toUpperCase()} ${spec.path}`);
    expect(paths.filter((path) => /question/i.test(path))).toEqual([
      'GET /tips/:id/questions',
      'POST /tips/:id/questions',
      'POST /tips/:id/questions/:questionId/withdraw',
    ]);
    expect(paths.filter((path) => /note/i.test(path))).toEqual([
      'GET /tips/:id/notes',
      'POST /tips/:id/notes',
    ]);
    // A question body with a kind or a note id is refused (strict schema), not converted.
    const smuggled = await h.agents.moderator
      .post(`/api/v1/tips/${tip.id}/questions`)
      .send({ text: 'x?', kind: 'note' });
    expect(smuggled.status).toBe(400);
  });
});
