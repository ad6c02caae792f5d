import { openJson, readIntakeRecord, TipContentSchema } from '@tinbao/shared';
import { findInRedis } from '@tinbao/shared/testing/redis-prefix';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../bot';
import { createTestBotWorld, FakeTelegramChat, type TestBotWorld } from '../testing/test-bot';
import { communeExampleOf, PASTE_PART_SECONDS } from './conversation';
import { HINTS, photosHint, TEXT } from './messages';

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
    // A pin: one short message, the same step's buttons again.
    expect(await chat.location(16.6, 106.9)).toEqual([TEXT.locationReceived]);
    expect(chat.lastButtons()).toEqual([{ text: '« Chọn tỉnh khác', data: 'm:back' }]);
    const matches = await chat.text('dakrong');
    expect(matches).toEqual([TEXT.communeMatches]);
    expect(chat.lastButtons()[0]).toEqual({ text: 'Xã Đakrông (Quảng Trị)', data: `m:${DAKRONG}` });
    expect(await chat.press(`m:${DAKRONG}`)).toEqual([TEXT.askVenue]);
    await chat.press('v:truong_hoc');
    await chat.press('w:dang_dien_ra');
    const marker = 'Ban ma tuy sau truong MARKER-unit-7731';
    expect(await chat.text(`  ${marker}  `)).toEqual([TEXT.askPhotos(0)]);
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
      const expected =
        step === 'commune'
          ? TEXT.communeHint(communeExampleOf(world.deps.units, '44'))
          : step === 'photos'
            ? photosHint(0)
            : HINTS[step as keyof typeof HINTS];
      for (const kind of ['sticker', 'voice', 'video', 'document'] as const) {
        const answer = await chat.other(kind);
        expect(answer.at(-1), `${step}/${kind}`).toContain(expected);
      }
      const tooLong = step === 'description' ? TEXT.descriptionTooLong : expected;
      expect((await chat.text(longText)).at(-1), `${step}/long`).toContain(tooLong);
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
    // Once per group per day: the rest of the group's talk gets no answer.
    expect(await chat.text('Tôi muốn báo tin')).toEqual([]);
    expect(await chat.text('/start')).toEqual([]);
    await chat.press('c:mua_ban');
    expect(chat.calls.at(-1)?.method).toBe('answerCallbackQuery');
    expect(await world.redis.keys(`${world.prefix}:bot:draft:*`)).toHaveLength(draftsBefore);
    // Another group hears it once too; the notice key names no group id.
    const other = newChat('group');
    expect(await other.text('xin chào')).toEqual([TEXT.groupChat]);
    const notices = await world.redis.keys(`${world.prefix}:bot:group-notice:*`);
    expect(notices.length).toBeGreaterThanOrEqual(2);
    for (const key of notices) {
      expect(key).not.toContain(String(Math.abs(chat.chatId)));
      expect(key).not.toContain(String(Math.abs(other.chatId)));
      expect(await world.redis.ttl(key)).toBeGreaterThan(23 * 3600);
    }
  });

  it('explains itself with /trogiup and accepts /trangthai codes', async () => {
    const chat = newChat();
    expect(await chat.text('/trogiup')).toEqual([TEXT.help]);
    expect(await chat.text('/trangthai tb-7k4p9 qrm2x')).toEqual([TEXT.statusComing('TB-7K4P9-QRM2X')]);
    expect(await chat.text('/trangthai 123')).toEqual([TEXT.statusBadCode]);
  });

  it('refuses a long paste split by Telegram as a whole: the rest is refused too, with one message', async () => {
    const chat = newChat();
    await walk(chat, 'description');
    const now = Math.floor(Date.now() / 1000);
    expect(await chat.text('a'.repeat(4096), { date: now })).toEqual([TEXT.descriptionTooLong]);
    expect(TEXT.descriptionTooLong.match(/4000/g)).toHaveLength(1);
    // The second part, mid-sentence, a second later: refused without another message.
    expect(await chat.text('phần sau của đoạn văn MARKER-rest', { date: now + 1 })).toEqual([]);
    // A third part chains on the second.
    expect(await chat.text('b'.repeat(4096), { date: now + 2 })).toEqual([]);
    expect(await chat.text('c'.repeat(10), { date: now + 3 })).toEqual([]);
    // A shortened text sent later is taken.
    const later = now + 3 + PASTE_PART_SECONDS + 1;
    expect(await chat.text('Mô tả đã rút gọn MARKER-short', { date: later })).toEqual([TEXT.askPhotos(0)]);
    await chat.press('f:none');
    const [summary] = await chat.press('k:n');
    expect(summary).toContain('MARKER-short');
    expect(summary).not.toContain('MARKER-rest');
  });

  it('takes a text right after a refusal when something else came in between', async () => {
    const chat = newChat();
    await walk(chat, 'description');
    const now = Math.floor(Date.now() / 1000);
    expect(await chat.text('a'.repeat(4001), { date: now })).toEqual([TEXT.descriptionTooLong]);
    expect((await chat.other('sticker')).at(-1)).toContain(HINTS.description);
    expect(await chat.text('Mô tả ngắn', { date: now + 1 })).toEqual([TEXT.askPhotos(0)]);
    // Exactly the limit is a valid description.
    await chat.text('/huy');
    await walk(chat, 'description');
    expect(await chat.text('d'.repeat(4000))).toEqual([TEXT.askPhotos(0)]);
  });

  it('removes the summary’s buttons once the tip is sent or cancelled; pressing them later is harmless', async () => {
    const chat = newChat();
    await walk(chat, 'consent');
    await chat.press('k:y');
    const summaryId = chat.lastSentMessageId();
    expect(summaryId).toBeDefined();
    const sent = await chat.press('s:send');
    expect(sent[0]).toContain('Mã tin báo');
    const edits = chat.callsOf('editMessageReplyMarkup');
    expect(edits.map((call) => call.payload.message_id)).toContain(summaryId);
    expect(edits.every((call) => call.payload.reply_markup === undefined)).toBe(true);
    expect(await chat.press('s:send')).toEqual([HINTS.idle]);
    expect(await jobCount()).toBe(1);

    await walk(chat, 'consent');
    await chat.press('k:n');
    const cancelledId = chat.lastSentMessageId();
    expect(await chat.press('s:cancel')).toEqual([TEXT.cancelled]);
    expect(chat.callsOf('editMessageReplyMarkup').map((call) => call.payload.message_id)).toContain(
      cancelledId,
    );

    await walk(chat, 'consent');
    await chat.press('k:n');
    const huyId = chat.lastSentMessageId();
    expect(await chat.text('/huy')).toEqual([TEXT.cancelled]);
    expect(chat.callsOf('editMessageReplyMarkup').map((call) => call.payload.message_id)).toContain(huyId);
    expect(await jobCount()).toBe(1);
  });

  it('ranks whole-word commune matches first and says when there are more than the buttons', async () => {
    const chat = newChat();
    await walk(chat, 'province');
    const prompt = await chat.text('ha noi');
    expect(prompt[0]).toContain(`ví dụ: "${communeExampleOf(world.deps.units, '01')}"`);
    expect(prompt[0]).not.toContain('dak rong');
    const answer = await chat.text('hoa');
    expect(answer[0]).toMatch(/^Có \d+ kết quả, hãy gõ thêm chữ để thu hẹp/);
    const labels = chat.lastButtons().map((button) => button.text);
    expect(labels).toHaveLength(9);
    expect(labels).toEqual(expect.arrayContaining(['Xã Ứng Hòa (Hà Nội)', 'Phường Yên Hòa (Hà Nội)']));
    expect(labels.some((label) => label.includes('Hoàn Kiếm'))).toBe(false);
    expect(await chat.text('ung hoa')).toEqual([TEXT.communeMatches]);
  });

  it('says honestly what TinBao keeps, in two sentences', async () => {
    const chat = newChat();
    const [welcome] = await chat.text('/start');
    expect(welcome).not.toContain('không ai biết');
    expect(welcome).toContain('TinBao không lưu tên, số điện thoại hay tài khoản của bạn.');
  });

  it('names only the photo step’s shown button in its hints', async () => {
    const chat = newChat();
    await walk(chat, 'photos');
    expect(chat.lastButtons()).toEqual([{ text: 'Không có ảnh', data: 'f:none' }]);
    const [hint] = await chat.other('sticker');
    expect(hint).toBe(photosHint(0));
    expect(hint).not.toContain('Xong');
    expect(TEXT.askPhotos(0)).not.toContain('Xong');
    expect(TEXT.askPhotos(1)).toContain('«Xong»');
    expect(TEXT.askPhotos(1)).not.toContain('Không có ảnh');
  });
});
