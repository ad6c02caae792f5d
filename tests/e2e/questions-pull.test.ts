import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createApp } from '@tinbao/api/app';
import { createTestUser, loginAgent, type TestAgent } from '@tinbao/api/auth/testing';
import { ApiConfigSchema } from '@tinbao/api/config';
import { apiRouter, type FeatureDeps } from '@tinbao/api/features';
import { createMetrics } from '@tinbao/api/platform/metrics';
import { tipAnswers } from '@tinbao/api/platform/schema';
import { createTestTip } from '@tinbao/api/tips/testing';
import { PATHS } from '@tinbao/bot/channels/web/pages';
import { BUTTONS, TEXT } from '@tinbao/bot/conversation/messages';
import { ANSWERS_PER_WINDOW } from '@tinbao/bot/submission/answer';
import { createStatusLookup, type StatusLookup } from '@tinbao/bot/submission/status';
import { TipQuestionListResponseSchema } from '@tinbao/shared/api/questions';
import { dumpRedisPrefix } from '@tinbao/shared/testing/redis-prefix';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotWorld, startBotWorld } from '../support/bot-world';
import {
  type ResidentDriver,
  startTipInDakrong,
  telegramResident,
  webResident,
  zaloResident,
} from '../support/residents';
import { hiddenFields } from '../support/web-client';

// The pull path of the follow-up loop on every channel, over real HTTP: a moderator asks through
// the API, the resident finds the question with the receipt code (/trangthai, the status page),
// answers, and the answer reaches the timeline decrypted — through the real gateway, intake queue
// and database. No chat address is stored anywhere on the way.
const BOT_TOKEN = randomBytes(32).toString('base64url');
let world: BotWorld;
let server: ReturnType<ReturnType<typeof createApp>['listen']>;
let moderator: TestAgent;
let lookup: StatusLookup | undefined;
let nextTelegramChat = 5_570_000_001;

beforeAll(async () => {
  world = await startBotWorld({
    gateway: { statusLookup: (code, options) => lookup!(code, options) },
  });
  const config = ApiConfigSchema.parse({
    REDIS_URL: 'redis://127.0.0.1:6379',
    REDIS_PREFIX: world.prefix,
    TINBAO_MASTER_KEY: randomBytes(32).toString('hex'),
    COOKIE_SECURE: 'false',
    TINBAO_BOT_API_TOKEN: BOT_TOKEN,
  });
  const deps: FeatureDeps = {
    config,
    database: world.database,
    redis: world.apiRedis,
    redisFast: world.apiRedis,
    queues: world.queues,
    orgKeys: world.org,
    metrics: createMetrics(),
    logger: world.botDeps.logger,
    passwordCost: 'test',
  };
  const app = createApp({ logger: deps.logger, routers: [apiRouter(deps)] });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  lookup = createStatusLookup(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, {
    botToken: BOT_TOKEN,
  });
  moderator = (await loginAgent(app, await createTestUser(world.database.db, deps, { role: 'moderator' })))
    .agent;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await world?.close();
});

async function tipWithQuestion(question = 'Bạn có thể mô tả rõ hơn địa điểm không?') {
  const tip = await createTestTip(world.database.db, world.org.publicKey, { communeCode: '19564' });
  const asked = await moderator.post(`/api/v1/tips/${tip.id}/questions`).send({ text: question });
  expect(asked.status).toBe(201);
  return { tip, questionId: asked.body.question.id as string };
}

/** Polls the database (an external state) until the question's answer is stored. */
async function waitForAnswer(questionId: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const rows = await world.database.db
      .select()
      .from(tipAnswers)
      .where(eq(tipAnswers.questionId, questionId));
    if (rows.length > 0) return rows;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no answer to ${questionId} within ${timeoutMs} ms`);
}

async function questionsOf(tipId: string) {
  return TipQuestionListResponseSchema.parse((await moderator.get(`/api/v1/tips/${tipId}/questions`)).body)
    .questions;
}

/**
 * A 10,000-character answer: Zalo's emulator takes it as a resident's text; Telegram's clients
 * cap a message at 4,096, so there it arrives as a raw update (a hostile client).
 */
async function longText(you: ResidentDriver, text: string): Promise<string[]> {
  if (you.channel !== 'telegram') return you.say(text);
  const chatId = Number(you.chatId);
  const before = world.handledCount(chatId);
  const seen = (await world.client.lastMessage(chatId))?.message_id ?? 0;
  await world.client.deliverUpdate({
    message: {
      chat: { id: chatId, type: 'private', first_name: 'Người dân' },
      from: { id: chatId, is_bot: false, first_name: 'Người dân' },
      text,
    },
  });
  await world.handled(chatId, before + 1);
  return (await world.client.messages(chatId, { after: seen })).map((message) => message.text ?? '');
}

const MESSENGERS = [
  { name: 'telegram', resident: (): ResidentDriver => telegramResident(world, nextTelegramChat++) },
  {
    name: 'zalo',
    resident: (): ResidentDriver => zaloResident(world, `zq${randomBytes(8).toString('hex')}`),
  },
] as const;

describe.each(MESSENGERS)('pull on $name', ({ resident }) => {
  it('the resident finds the question with /trangthai, answers, and the moderator reads the answer', async () => {
    const { tip, questionId } = await tipWithQuestion();
    const you = resident();
    const status = (await you.say(`/trangthai ${tip.receiptCode}`)).join('\n');
    expect(status).toContain(TEXT.status(tip.receiptCode, 'received'));
    expect(status).toContain('«Bạn có thể mô tả rõ hơn địa điểm không?»');
    expect((await you.choose(BUTTONS.answerQuestion)).join('\n')).toContain(
      TEXT.answerPrompt('Bạn có thể mô tả rõ hơn địa điểm không?').split('\n')[0],
    );
    expect(await you.say('Nhà thứ ba sau chợ Đakrông, cổng sắt xanh.')).toEqual([TEXT.answerSent]);
    await waitForAnswer(questionId);
    const [question] = await questionsOf(tip.id);
    expect(question).toMatchObject({
      state: 'answered',
      answer: { text: 'Nhà thứ ba sau chợ Đakrông, cổng sắt xanh.' },
    });
    const timeline = await moderator.get(`/api/v1/tips/${tip.id}/timeline`);
    expect(timeline.body.events.map((event: { action: string }) => event.action)).toContain(
      'tip.question_answered',
    );
    // Answered: /trangthai shows the status only now.
    expect(await you.say(`/trangthai ${tip.receiptCode}`)).toEqual([
      TEXT.status(tip.receiptCode, 'received'),
    ]);

    // Nothing that leads to the chat: not in the database, not in Redis (values too), not in the logs.
    const dump = JSON.stringify(await dumpRedisPrefix(world.apiRedis, world.prefix));
    const rows = JSON.stringify(await world.database.db.select().from(tipAnswers));
    for (const id of you.platformIds) {
      expect(dump).not.toContain(id);
      expect(rows).not.toContain(id);
      expect(world.logs.text()).not.toContain(id);
    }
    expect(world.logs.text()).not.toContain('cổng sắt xanh');
  });

  it('bad input: unknown and malformed codes, a withdrawn question, empty, invisible and 10,000-character answers', async () => {
    const you = resident();
    expect(await you.say('/trangthai TB-00000-00000')).toEqual([TEXT.statusNotFound('TB-00000-00000')]);
    expect(await you.say('/trangthai 12345')).toEqual([TEXT.statusBadCode]);

    const { tip, questionId } = await tipWithQuestion('Việc này thường diễn ra vào giờ nào?');
    await you.say(`/trangthai ${tip.receiptCode}`);
    await you.choose(BUTTONS.answerQuestion);
    expect((await you.say('\u200b\u200b'))[0]).toContain(TEXT.answerMeaningless);
    // The moderator withdraws it meanwhile: the resident is told, nothing is stored.
    expect((await moderator.post(`/api/v1/tips/${tip.id}/questions/${questionId}/withdraw`)).status).toBe(
      200,
    );
    expect(await you.say('Khoảng 10 giờ tối')).toEqual([TEXT.answerNotOpen]);
    expect(
      await world.database.db.select().from(tipAnswers).where(eq(tipAnswers.tipId, tip.id)),
    ).toHaveLength(0);
    expect(await you.say(`/trangthai ${tip.receiptCode}`)).toEqual([
      TEXT.status(tip.receiptCode, 'received'),
    ]);

    // A 10,000-character answer (last: on Telegram it arrives past the driver, as a raw update).
    const next = await tipWithQuestion('Có bao nhiêu người liên quan?');
    await you.say(`/trangthai ${next.tip.receiptCode}`);
    await you.choose(BUTTONS.answerQuestion);
    expect((await longText(you, 'x'.repeat(10_000))).join('\n')).toContain(TEXT.answerTooLong);
    expect(
      await world.database.db.select().from(tipAnswers).where(eq(tipAnswers.tipId, next.tip.id)),
    ).toHaveLength(0);
  });
});

describe('answering in the middle of a new tip', () => {
  it('the draft waits: after the answer the resident is back at the step they left', async () => {
    const { tip, questionId } = await tipWithQuestion('Có bao nhiêu người liên quan?');
    const you = zaloResident(world, `zm${randomBytes(8).toString('hex')}`);
    await startTipInDakrong(you, 'Mua bán ma túy');
    await you.say(`/trangthai ${tip.receiptCode}`);
    await you.choose(BUTTONS.answerQuestion);
    const back = await you.say('Hai người, một nam một nữ.');
    expect(back[0]).toBe(TEXT.answerSent);
    expect(back.join('\n')).toContain('Bước 4/8');
    await waitForAnswer(questionId);
  });
});

describe('limits on the messengers', () => {
  it(`answers at most ${ANSWERS_PER_WINDOW} times in ten minutes; a flood at the prompt stores one answer`, async () => {
    const you = telegramResident(world, nextTelegramChat++);
    const asked = [];
    for (let index = 0; index <= ANSWERS_PER_WINDOW; index++)
      asked.push(await tipWithQuestion(`Câu hỏi ${index + 1}?`));
    for (const [index, { tip, questionId }] of asked.entries()) {
      await you.say(`/trangthai ${tip.receiptCode}`);
      await you.choose(BUTTONS.answerQuestion);
      const answer = await you.say(`Trả lời ${index + 1}`);
      if (index < ANSWERS_PER_WINDOW) {
        expect(answer).toEqual([TEXT.answerSent]);
        await waitForAnswer(questionId);
      } else expect(answer).toEqual([TEXT.answerTooMany]);
    }
    const last = asked.at(-1)!;
    expect(
      await world.database.db.select().from(tipAnswers).where(eq(tipAnswers.questionId, last.questionId)),
    ).toHaveLength(0);

    // 50 answers sent at once at another resident's prompt: one is stored, the rest are not answers.
    const flood = telegramResident(world, nextTelegramChat++);
    const { tip, questionId } = await tipWithQuestion('Có bao nhiêu người liên quan?');
    await flood.say(`/trangthai ${tip.receiptCode}`);
    await flood.choose(BUTTONS.answerQuestion);
    const chatId = Number(flood.chatId);
    const before = world.handledCount(chatId);
    await Promise.all(
      Array.from({ length: 50 }, (_, index) => world.client.sendText(chatId, `Ba người (${index})`)),
    );
    await world.handled(chatId, before + 50);
    await waitForAnswer(questionId);
    expect(
      await world.database.db.select().from(tipAnswers).where(eq(tipAnswers.tipId, tip.id)),
    ).toHaveLength(1);
    const texts = (await world.client.messages(chatId)).map((message) => message.text ?? '');
    expect(texts.filter((text) => text === TEXT.answerSent)).toHaveLength(1);
  });
});

describe('pull on the web form', () => {
  it('the status page shows the question with an answer form; the answer reaches the moderator', async () => {
    const { tip, questionId } = await tipWithQuestion(
      'Bạn có biết thêm đặc điểm nhận dạng (trang phục, xe…) không?',
    );
    const { client } = webResident(world);
    const lookUp = await client.submit({
      form: (await client.open(PATHS.status)).forms[0]!,
      fields: [['code', tip.receiptCode]],
    });
    expect(lookUp.replies.join('\n')).toContain(
      '«Bạn có biết thêm đặc điểm nhận dạng (trang phục, xe…) không?»',
    );
    const answerForm = lookUp.forms.find((form) => form.action === PATHS.answer);
    expect(answerForm).toBeDefined();

    // Too long first: the same form comes back with the reason.
    const tooLong = await client.submit({
      form: answerForm!,
      fields: [...hiddenFields(answerForm!), ['text', 'x'.repeat(10_000)]],
    });
    expect(tooLong.replies[0]).toContain(TEXT.answerTooLong);
    const again = tooLong.forms.find((form) => form.action === PATHS.answer)!;
    const sent = await client.submit({
      form: again,
      fields: [...hiddenFields(again), ['text', 'Áo khoác đen, xe máy Wave màu đỏ.']],
    });
    expect(sent.replies).toEqual([TEXT.answerSent]);
    expect(sent.forms.some((form) => form.action === PATHS.answer)).toBe(false);
    await waitForAnswer(questionId);
    expect((await questionsOf(tip.id))[0]?.answer?.text).toBe('Áo khoác đen, xe máy Wave màu đỏ.');

    // Sent again (an old tab): the question is answered, nothing more is stored.
    const replay = await client.submit({
      form: again,
      fields: [...hiddenFields(again), ['text', 'Lần nữa']],
    });
    expect(replay.replies).toEqual([TEXT.answerNotOpen, TEXT.status(tip.receiptCode, 'received')]);
    expect(
      await world.database.db.select().from(tipAnswers).where(eq(tipAnswers.tipId, tip.id)),
    ).toHaveLength(1);
    // An unknown code on the answer form.
    const unknown = await client.submit({
      form: again,
      fields: [
        ['code', 'TB-00000-00000'],
        ['option', 'answer_0'],
        ['text', 'x'],
      ],
    });
    expect(unknown.replies).toEqual([TEXT.statusNotFound('TB-00000-00000')]);
  });
});

describe('the visibility rule on the resident side', () => {
  it('an internal note reaches the resident by no path: not on /trangthai, not on the status page', async () => {
    const { tip } = await tipWithQuestion('Câu hỏi công khai?');
    const marker = `noi-bo-${randomBytes(4).toString('hex')}`;
    expect((await moderator.post(`/api/v1/tips/${tip.id}/notes`).send({ body: marker })).status).toBe(201);
    const telegram = telegramResident(world, nextTelegramChat++);
    const zalo = zaloResident(world, `zv${randomBytes(8).toString('hex')}`);
    for (const you of [telegram, zalo]) {
      const texts = await you.say(`/trangthai ${tip.receiptCode}`);
      expect(texts.join('\n')).toContain('Câu hỏi công khai?');
      expect(texts.join('\n')).not.toContain(marker);
    }
    const { client } = webResident(world);
    const page = await client.submit({
      form: (await client.open(PATHS.status)).forms[0]!,
      fields: [['code', tip.receiptCode]],
    });
    expect(page.html).toContain('Câu hỏi công khai?');
    expect(page.html).not.toContain(marker);
  });
});
