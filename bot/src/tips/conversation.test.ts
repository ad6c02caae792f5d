import { openJson, readIntakeRecord, TipContentSchema } from '@tinbao/shared';
import { findInRedis } from '@tinbao/shared/testing/redis-prefix';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../bot';
import { createTestBotWorld, FakeTelegramChat, type TestBotWorld } from '../testing/test-bot';
import { HINTS, TEXT } from './messages';

const DAKRONG = '19564';
let world: TestBotWorld;
let nextChat = 700_000_001;

beforeAll(async () => {
  world = await createTestBotWorld();
});
afterAll(async () => {
  await world?.close();
});

const newChat = (type: 'private' | 'group' = 'private') => {
  const id = nextChat++;
  return new FakeTelegramChat(createBot(world.deps), type === 'group' ? -id : id, id, type);
};

/** Walks a chat up to (not including) `until`, with the answers of the happy path. */
async function walk(chat: FakeTelegramChat, until: string, description = 'Mô tả thử nghiệm'): Promise<void> {
  const steps: [string, () => Promise<unknown>][] = [
    ['category', () => chat.press('t:new')],
    ['province', () => chat.press('c:mua_ban')],
    ['commune', () => chat.text('quang tri')],
    ['commune-pick', () => chat.text('dak rong')],
    ['venue', () => chat.press(`m:${DAKRONG}`)],
    ['when', () => chat.press('v:karaoke')],
    ['description', () => chat.press('w:hom_nay')],
    ['photos', () => chat.text(description)],
    ['consent', () => chat.press('f:none')],
    ['summary', () => chat.press('k:y')],
  ];
  await chat.text('/start');
  for (const [name, step] of steps) {
    await step();
    if (name === until) return;
  }
}

async function jobCount(): Promise<number> {
  const counts = await world.intakeQueue.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed');
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

describe('tip conversation', () => {
  afterEach(async () => {
    await world.intakeQueue.obliterate({ force: true });
  });

  it('takes a tip end to end and hands exactly the answers, sealed, to the intake queue', async () => {
    const chat = newChat();
    const welcome = await chat.text('/start');
    expect(welcome[0]).toContain('TinBao');
    expect(chat.lastButtons()).toEqual([{ text: 'Gửi tin báo', data: 't:new' }]);

    expect(await chat.press('t:new')).toEqual([TEXT.askCategory]);
    expect(chat.lastButtons()).toHaveLength(7);
    await chat.press('c:tu_diem');
    expect(chat.lastButtons()).toHaveLength(34);
    expect((await chat.text('quảng trị'))[0]).toContain('Tỉnh Quảng Trị');
    await chat.location(16.6, 106.9);
    const matches = await chat.text('dakrong');
    expect(matches).toEqual([TEXT.communeMatches]);
    expect(chat.lastButtons()[0]).toEqual({ text: 'Xã Đakrông (Quảng Trị)', data: `m:${DAKRONG}` });
    expect(await chat.press(`m:${DAKRONG}`)).toEqual([TEXT.askVenue]);
    await chat.press('v:truong_hoc');
    await chat.press('w:dang_dien_ra');
    const marker = 'Ban ma tuy sau truong MARKER-unit-7731';
    expect(await chat.text(`  ${marker}  `)).toEqual([TEXT.askPhotos]);
    await chat.press('f:none');
    const summary = await chat.press('k:n');
    expect(summary[0]).toContain('Xã Đakrông, Tỉnh Quảng Trị');
    expect(summary[0]).toContain(marker);

    const sent = await chat.press('s:send');
    const receipt = /TB-[0-9A-Z]{5}-[0-9A-Z]{5}/.exec(sent[0] ?? '')?.[0];
    expect(receipt).toBeDefined();
    expect(sent[0]).toContain(`/trangthai ${receipt}`);

    const jobs = await world.intakeQueue.getJobs(['waiting']);
    expect(jobs).toHaveLength(1);
    const tipId = jobs[0]!.data.tipId;
    expect(jobs[0]!.data).toEqual({ tipId });
    const { record } = await readIntakeRecord(world.redis, world.prefix, tipId);
    expect(record?.clear).toMatchObject({ receiptCode: receipt, communeCode: DAKRONG, category: 'tu_diem' });
    expect(record?.replyToken).toBeUndefined();
    const content = TipContentSchema.parse(await openJson(record!.envelope, world.org));
    expect(content).toMatchObject({
      category: 'tu_diem',
      provinceCode: '44',
      communeCode: DAKRONG,
      venueType: 'truong_hoc',
      observed: 'dang_dien_ra',
      description: marker,
      location: { latitude: 16.6, longitude: 106.9 },
      photos: [],
      followUpConsent: false,
    });
    // Nothing readable in Redis, and the draft is gone.
    expect(await findInRedis(world.redis, world.prefix, 'MARKER-unit-7731')).toEqual([]);
    expect(await findInRedis(world.redis, world.prefix, String(chat.chatId))).toEqual([]);
    expect(await world.redis.keys(`${world.prefix}:bot:draft:*`)).toEqual([]);
    expect(world.logs.text()).not.toContain('MARKER-unit-7731');
    expect(world.logs.text()).not.toContain(String(chat.chatId));
  });

  it('seals the chat id to the relay key only with consent', async () => {
    const chat = newChat();
    await walk(chat, 'summary');
    await chat.press('s:send');
    const [job] = await world.intakeQueue.getJobs(['waiting']);
    const { record } = await readIntakeRecord(world.redis, world.prefix, job!.data.tipId);
    expect(await openJson(record!.replyToken!, world.relay)).toEqual({
      channel: 'telegram',
      chatId: chat.chatId,
    });
  });

  it('finds communes without accents or spaces and offers both names that collide', async () => {
    const chat = newChat();
    await walk(chat, 'commune-pick');
    for (const query of ['dak rong', 'dakrong', 'Đakrông', 'DAK  RONG']) {
      await chat.text(query);
      expect(chat.lastButtons()[0]?.data, query).toBe(`m:${DAKRONG}`);
    }
    expect(await chat.text('khong co xa nay')).toEqual([TEXT.communeNotFound('Tỉnh Quảng Trị')]);
    await chat.press('m:back');
    const province = world.deps.units.provinces.find((p) =>
      world.deps.units.communesOf(p.code).some((c) => c.shortName === 'Văn Lăng'),
    )!;
    await chat.press(`p:${province.code}`);
    await chat.text('van lang');
    const labels = chat.lastButtons().map((button) => button.text);
    expect(labels.some((label) => label.startsWith('Xã Văn Lang ('))).toBe(true);
    expect(labels.some((label) => label.startsWith('Xã Văn Lăng ('))).toBe(true);
    expect(labels.every((label) => label.includes(`(${province.shortName})`) || label.startsWith('«'))).toBe(
      true,
    );
  });

  it('answers bad input at every step with that step’s Vietnamese hint, and keeps the step', async () => {
    const steps = [
      'category',
      'province',
      'commune',
      'venue',
      'when',
      'description',
      'photos',
      'consent',
      'summary',
    ];
    const longText = 'a'.repeat(5000);
    for (const step of steps) {
      const chat = newChat();
      await walk(chat, step === 'commune' ? 'commune-pick' : step);
      const expected = HINTS[step as keyof typeof HINTS];
      for (const kind of ['sticker', 'voice', 'video', 'document'] as const) {
        const answer = await chat.other(kind);
        expect(answer.at(-1), `${step}/${kind}`).toContain(expected);
      }
      expect((await chat.text(longText)).at(-1), `${step}/long`).toContain(expected);
      for (const forged of ['x:1', 'c:heroin', 'm:99999', 'p:00', `${'z'.repeat(70)}`, 's:send:extra']) {
        expect((await chat.press(forged)).at(-1), `${step}/${forged}`).toContain(expected);
      }
      // A stale button of an earlier step.
      const stale = step === 'category' ? 'v:karaoke' : 'c:mua_ban';
      expect((await chat.press(stale)).at(-1), `${step}/stale`).toContain(expected);
      // After all that, the resident is still at the same step.
      const resumed = await chat.text('/start');
      expect(resumed[0], `${step}/resume`).toBe(TEXT.resume);
      expect(await chat.text('/start'), `${step}/stable`).toEqual(resumed);
    }
    expect(await jobCount()).toBe(0);
  });

  it('/huy forgets the draft at any step and creates no tip', async () => {
    const chat = newChat();
    await walk(chat, 'summary', 'Mô tả MARKER-huy');
    expect(await world.redis.keys(`${world.prefix}:bot:draft:*`)).not.toEqual([]);
    expect(await chat.text('/huy')).toEqual([TEXT.cancelled]);
    expect(await jobCount()).toBe(0);
    expect(await chat.press('s:send')).toEqual([HINTS.idle]);
    expect(await jobCount()).toBe(0);
    expect(await chat.text('/huy')).toEqual([TEXT.nothingToCancel]);
  });

  it('resumes at the same step after a restart (a new bot on the same Redis and keys)', async () => {
    const first = newChat();
    await walk(first, 'when');
    const restarted = new FakeTelegramChat(createBot(world.deps), first.chatId);
    expect(await restarted.text('/start')).toEqual([TEXT.resume, TEXT.askWhen]);
    expect(await restarted.press('w:hom_qua')).toEqual([TEXT.askDescription]);
  });

  it('stores the draft encrypted under a keyed hash of the chat, with a 24-hour expiry', async () => {
    const chat = newChat();
    await walk(chat, 'photos', 'MARKER-draft-5521');
    const keys = await world.redis.keys(`${world.prefix}:bot:draft:*`);
    const key = keys.find(() => true)!;
    expect(key).not.toContain(String(chat.chatId));
    expect(await world.redis.ttl(key)).toBeGreaterThan(23 * 3600);
    expect(await findInRedis(world.redis, world.prefix, 'MARKER-draft-5521')).toEqual([]);
    // A draft written with another key reads as no draft, not as a crash.
    const other = new FakeTelegramChat(
      createBot({ ...world.deps, draftKey: new Uint8Array(32).fill(7) }),
      chat.chatId,
    );
    expect(await other.text('/start')).toEqual([expect.stringContaining('TinBao')]);
    await world.redis.del(...(await world.redis.keys(`${world.prefix}:bot:draft:*`)));
  });

  it('goes back to one chosen step with Sửa, then straight to the summary', async () => {
    const chat = newChat();
    await walk(chat, 'summary');
    await chat.press('s:edit');
    expect(await chat.press('e:venue')).toEqual([TEXT.askVenue]);
    const summary = await chat.press('v:nha_rieng');
    expect(summary[0]).toContain('Nhà riêng');
    expect(summary[0]).toContain(TEXT.summaryTitle);
    await chat.press('s:edit');
    await chat.press('e:province');
    await chat.press('p:01');
    await chat.text('ba dinh');
    const after = await chat.press('m:00004');
    expect(after[0]).toContain('Phường Ba Đình, Thành phố Hà Nội');
  });

  it('takes at most 5 tips per resident per hour, kindly, and keeps the sixth draft', async () => {
    const chat = newChat();
    for (let tip = 1; tip <= 5; tip++) {
      await walk(chat, 'summary');
      expect((await chat.press('s:send'))[0]).toContain('Mã tin báo');
    }
    await walk(chat, 'summary');
    expect(await chat.press('s:send')).toEqual([TEXT.rateLimited]);
    expect(await jobCount()).toBe(5);
    expect(await chat.text('/start')).toEqual([TEXT.resume, expect.stringContaining(TEXT.summaryTitle)]);
    const rateKeys = await world.redis.keys(`${world.prefix}:bot:rate:*`);
    expect(rateKeys.some((key) => key.includes(String(chat.userId)))).toBe(false);
  });

  it('takes no tip in a group chat and asks to write privately', async () => {
    const chat = newChat('group');
    const draftsBefore = (await world.redis.keys(`${world.prefix}:bot:draft:*`)).length;
    expect(await chat.text('/start')).toEqual([TEXT.groupChat]);
    expect(await chat.text('Tôi muốn báo tin')).toEqual([TEXT.groupChat]);
    await chat.press('c:mua_ban');
    expect(chat.calls.at(-1)?.method).toBe('answerCallbackQuery');
    expect(await world.redis.keys(`${world.prefix}:bot:draft:*`)).toHaveLength(draftsBefore);
  });

  it('explains itself with /trogiup and accepts /trangthai codes', async () => {
    const chat = newChat();
    expect(await chat.text('/trogiup')).toEqual([TEXT.help]);
    expect(await chat.text('/trangthai tb-7k4p9 qrm2x')).toEqual([TEXT.statusComing('TB-7K4P9-QRM2X')]);
    expect(await chat.text('/trangthai 123')).toEqual([TEXT.statusBadCode]);
  });
});
