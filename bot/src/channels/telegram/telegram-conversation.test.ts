import { loadAdminUnits, openSealedTip, readIntakeRecord, TipContentSchema } from '@tinbao/shared';
import { findInRedis } from '@tinbao/shared/testing/redis-prefix';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PASTE_PART_MS } from '../../conversation/flow';
import { BUTTONS, hintOf, photosHint, TEXT } from '../../conversation/messages';
import { communeExampleOf } from '../../conversation/places';
import { createTestBotWorld, FakeTelegramChat, type TestBotWorld } from '../../testing/test-bot';
import { TELEGRAM_CAPABILITIES } from './adapter';

const DAKRONG = '19564';
const units = loadAdminUnits();
const HINT = (step: Parameters<typeof hintOf>[0]) => hintOf(step, TELEGRAM_CAPABILITIES);
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
  return new FakeTelegramChat(world.telegram().adapter.bot, type === 'group' ? -id : id, id, type);
};

/** Walks a chat up to (not including) `until`, with the answers of the happy path. */
async function walk(chat: FakeTelegramChat, until: string, description = 'Mô tả thử nghiệm'): Promise<void> {
  const steps: [string, () => Promise<unknown>][] = [
    ['category', () => chat.press('Gửi tin báo')],
    ['province', () => chat.press('Mua bán ma túy')],
    ['commune', () => chat.text('quang tri')],
    ['commune-pick', () => chat.text('dak rong')],
    ['venue', () => chat.press('Xã Đakrông (Quảng Trị)')],
    ['when', () => chat.press('Quán karaoke')],
    ['description', () => chat.press('Hôm nay')],
    ['photos', () => chat.text(description)],
    ['consent', () => chat.press('Không có ảnh')],
    ['summary', () => chat.press('Đồng ý')],
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

describe('the tip conversation on Telegram', () => {
  afterEach(async () => {
    await world.intakeQueue.obliterate({ force: true });
  });

  it('takes a tip end to end and hands exactly the answers, sealed, to the intake queue', async () => {
    const chat = newChat();
    const welcome = await chat.text('/start');
    expect(welcome[0]).toContain('TinBao');
    expect(chat.lastButtons().map((button) => button.text)).toEqual(['Gửi tin báo']);

    expect(await chat.press('Gửi tin báo')).toEqual([TEXT.askCategory]);
    expect(chat.lastButtons()).toHaveLength(8);
    await chat.press('Điểm, tụ điểm phức tạp');
    expect(chat.lastButtons()).toHaveLength(35);
    expect((await chat.text('quảng trị'))[0]).toContain('Tỉnh Quảng Trị');
    await chat.location(16.6, 106.9);
    const matches = await chat.text('dakrong');
    // The old district of the same name is named too: the resident may have meant it.
    expect(matches).toEqual([
      expect.stringMatching(/^• Huyện Đa Krông cũ nay gồm: .*\nChọn xã, phường đúng:$/s),
    ]);
    expect(chat.lastButtons()[0]?.text).toBe('Xã Đakrông (Quảng Trị)');
    expect(await chat.press('Xã Đakrông (Quảng Trị)')).toEqual([TEXT.askVenue]);
    await chat.press('Trường học hoặc gần trường');
    await chat.press('Đang diễn ra');
    const marker = 'Ban ma tuy sau truong MARKER-unit-7731';
    expect(await chat.text(`  ${marker}  `)).toEqual([TEXT.askPhotos(0)]);
    await chat.press('Không có ảnh');
    const summary = await chat.press('Không');
    expect(summary[0]).toContain('Xã Đakrông, Tỉnh Quảng Trị');
    expect(summary[0]).toContain(marker);

    const sent = await chat.press('Gửi');
    const receipt = /TB-[0-9A-Z]{5}-[0-9A-Z]{5}/.exec(sent.at(-1) ?? '')?.[0];
    expect(receipt).toBeDefined();
    expect(sent.at(-1)).toContain(`/trangthai ${receipt}`);

    const jobs = await world.intakeQueue.getJobs(['waiting']);
    expect(jobs).toHaveLength(1);
    const tipId = jobs[0]!.data.tipId;
    expect(jobs[0]!.data).toEqual({ tipId });
    const { record } = await readIntakeRecord(world.redis, world.prefix, tipId);
    expect(record?.clear).toMatchObject({
      receiptCode: receipt,
      communeCode: DAKRONG,
      category: 'tu_diem',
      channel: 'telegram',
    });
    expect(record?.replyToken).toBeUndefined();
    const content = TipContentSchema.parse(await openSealedTip(record!.envelope, record!.clear, world.org));
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
    // Nothing readable in Redis, and the draft is gone once the receipt was delivered.
    expect(await findInRedis(world.redis, world.prefix, 'MARKER-unit-7731')).toEqual([]);
    expect(await findInRedis(world.redis, world.prefix, String(chat.chatId))).toEqual([]);
    expect(await world.redis.keys(`${world.prefix}:bot:draft:*`)).toEqual([]);
    expect(world.logs.text()).not.toContain('MARKER-unit-7731');
    expect(world.logs.text()).not.toContain(String(chat.chatId));
  });

  it('stores no reply token even with consent: nothing in the record leads to the chat', async () => {
    const chat = newChat();
    await walk(chat, 'summary');
    await chat.press('Gửi');
    const [job] = await world.intakeQueue.getJobs(['waiting']);
    const { record } = await readIntakeRecord(world.redis, world.prefix, job!.data.tipId);
    expect(record?.replyToken).toBeUndefined();
    const content = TipContentSchema.parse(await openSealedTip(record!.envelope, record!.clear, world.org));
    expect(content.followUpConsent).toBe(true);
  });

  it('finds communes without accents or spaces and offers both names that collide', async () => {
    const chat = newChat();
    await walk(chat, 'commune-pick');
    for (const query of ['dak rong', 'dakrong', 'Đakrông', 'DAK  RONG']) {
      await chat.text(query);
      expect(chat.lastButtons()[0]?.data.endsWith(`:${DAKRONG}`), query).toBe(true);
    }
    expect(await chat.text('khong co xa nay')).toEqual([TEXT.communeNotFound('Tỉnh Quảng Trị')]);
    await chat.press('« Chọn tỉnh khác');
    const province = units.provinces.find((p) =>
      units.communesOf(p.code).some((c) => c.shortName === 'Văn Lăng'),
    )!;
    await chat.press(province.shortName);
    await chat.text('van lang');
    const labels = chat.lastButtons().map((button) => button.text);
    expect(labels.some((label) => label.startsWith('Xã Văn Lang ('))).toBe(true);
    expect(labels.some((label) => label.startsWith('Xã Văn Lăng ('))).toBe(true);
    expect(
      labels.every(
        (label) =>
          label.includes(`(${province.shortName})`) ||
          label.startsWith('«') ||
          label === BUTTONS.communeUnknown,
      ),
    ).toBe(true);
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
          ? TEXT.communeHint(communeExampleOf(units, '44'))
          : step === 'photos'
            ? photosHint(0)
            : HINT(step as Parameters<typeof hintOf>[0]);
      for (const kind of ['sticker', 'voice', 'video', 'document'] as const) {
        const answer = await chat.other(kind);
        expect(answer.at(-1), `${step}/${kind}`).toContain(expected);
      }
      const tooLong = step === 'description' ? TEXT.descriptionTooLong : expected;
      expect((await chat.text(longText)).at(-1), `${step}/long`).toContain(tooLong);
      // Old-format and forged data, and a button of an earlier menu: "no longer usable", then the hint.
      for (const forged of ['x:1', 'c:heroin', 'm:99999', '1:mua_ban', `${'z'.repeat(70)}`, '999999:send']) {
        const answer = await chat.pressData(forged);
        expect(answer.at(-1), `${step}/${forged}`).toContain(TEXT.staleButton);
        expect(answer.at(-1), `${step}/${forged}`).toContain(expected);
      }
      // After all that, the resident is still at the same step.
      const resumed = await chat.text('/start');
      expect(resumed[0], `${step}/resume`).toBe(TEXT.resume);
      expect(await chat.text('/start'), `${step}/stable`).toEqual(resumed);
    }
    expect(await jobCount()).toBe(0);
  });

  it('/huy asks first, then forgets the draft and creates no tip', async () => {
    const chat = newChat();
    await walk(chat, 'summary', 'Mô tả MARKER-huy');
    const sendData = chat.dataOf('Gửi');
    expect(await world.redis.keys(`${world.prefix}:bot:draft:*`)).not.toEqual([]);
    expect(await chat.text('/huy')).toEqual([TEXT.confirmCancel]);
    expect((await chat.press('Tiếp tục soạn'))[0]).toBe(TEXT.notCancelled);
    expect(await chat.text('/huy')).toEqual([TEXT.confirmCancel]);
    expect(await chat.press('Hủy tin báo')).toEqual([TEXT.cancelled]);
    expect(await jobCount()).toBe(0);
    // The old summary's Gửi: its draft is gone, nothing sent.
    expect((await chat.pressData(sendData))[0]).toContain(TEXT.draftGone);
    expect(await jobCount()).toBe(0);
    expect(await chat.text('/huy')).toEqual([TEXT.nothingToCancel]);
    expect(await findInRedis(world.redis, world.prefix, 'MARKER-huy')).toEqual([]);
  });

  it('resumes at the same step after a restart (a new gateway on the same Redis and keys)', async () => {
    const first = newChat();
    await walk(first, 'when');
    const restarted = new FakeTelegramChat(world.telegram().adapter.bot, first.chatId);
    expect(await restarted.text('/start')).toEqual([TEXT.resume, TEXT.askWhen]);
    expect(await restarted.press('Hôm qua')).toEqual([TEXT.askDescription]);
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
      world.telegram({ draftKey: new Uint8Array(32).fill(7) }).adapter.bot,
      chat.chatId,
    );
    expect(await other.text('/start')).toEqual([expect.stringContaining('TinBao')]);
    await world.redis.del(...(await world.redis.keys(`${world.prefix}:bot:draft:*`)));
  });

  it('goes back one step with «Quay lại» at every step, and to one chosen step with Sửa', async () => {
    const chat = newChat();
    await walk(chat, 'consent');
    expect(await chat.press('« Quay lại')).toEqual([TEXT.askPhotos(0)]);
    expect(await chat.press('« Quay lại')).toEqual([TEXT.askDescription]);
    expect(await chat.press('« Quay lại')).toEqual([TEXT.askWhen]);
    expect(await chat.press('« Quay lại')).toEqual([TEXT.askVenue]);
    expect((await chat.press('« Quay lại'))[0]).toContain('Bước 3/8');
    expect((await chat.press('« Chọn tỉnh khác'))[0]).toContain('Bước 2/8');
    expect(await chat.press('« Quay lại')).toEqual([TEXT.askCategory]);
    await chat.press('Mua bán ma túy');
    await chat.text('quang tri');
    await chat.text('dak rong');
    await chat.press('Xã Đakrông (Quảng Trị)');
    await chat.press('Quán karaoke');
    await chat.press('Hôm nay');
    await chat.text('Mô tả');
    await chat.press('Không có ảnh');
    await chat.press('Đồng ý');
    await chat.press('Sửa');
    expect(await chat.press('Nơi xảy ra')).toEqual([TEXT.askVenue]);
    const summary = await chat.press('Nhà riêng');
    expect(summary[0]).toContain('Nhà riêng');
    expect(summary[0]).toContain(TEXT.summaryTitle);
    await chat.press('Sửa');
    await chat.press('Địa điểm (tỉnh, xã)');
    await chat.press('Hà Nội');
    await chat.text('ba dinh');
    const after = await chat.press('Phường Ba Đình (Hà Nội)');
    expect(after[0]).toContain('Phường Ba Đình, Thành phố Hà Nội');
  });

  it('takes at most 5 tips per resident per hour, kindly, and keeps the sixth draft', async () => {
    const chat = newChat();
    for (let tip = 1; tip <= 5; tip++) {
      await walk(chat, 'summary');
      expect((await chat.press('Gửi')).at(-1)).toContain('Mã tin báo');
    }
    await walk(chat, 'summary');
    expect(await chat.press('Gửi')).toEqual([TEXT.rateLimited]);
    expect(await jobCount()).toBe(5);
    expect(await chat.text('/start')).toEqual([TEXT.resume, expect.stringContaining(TEXT.summaryTitle)]);
    const rateKeys = await world.redis.keys(`${world.prefix}:bot:rate:*`);
    expect(rateKeys.some((key) => key.includes(String(chat.userId)))).toBe(false);
  });

  it('takes no tip in a group chat and asks to write privately', async () => {
    const chat = newChat('group');
    const draftsBefore = (await world.redis.keys(`${world.prefix}:bot:draft:*`)).length;
    expect(await chat.text('/start')).toEqual([TEXT.groupChat]);
    expect(await chat.text('Tôi muốn báo tin')).toEqual([]);
    expect(await chat.text('/start')).toEqual([]);
    await chat.pressData('1:mua_ban');
    expect(chat.calls.at(-1)?.method).toBe('answerCallbackQuery');
    expect(await world.redis.keys(`${world.prefix}:bot:draft:*`)).toHaveLength(draftsBefore);
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

  it('never takes the rest of a split paste silently: each part is answered, the resident decides', async () => {
    const chat = newChat();
    await walk(chat, 'description');
    const now = Math.floor(Date.now() / 1000);
    expect(await chat.text('a'.repeat(4096), { date: now })).toEqual([TEXT.descriptionTooLong]);
    // The second part, mid-sentence, a second later: not the description, but not dropped either.
    expect(await chat.text('phần sau của đoạn văn MARKER-rest', { date: now + 1 })).toEqual([
      TEXT.candidateDescription,
    ]);
    expect(await chat.press('Không, tôi sẽ gửi lại')).toEqual([TEXT.askDescription]);
    // A valid description right after a too-long one is offered, and taken when the resident says so.
    expect(await chat.text('a'.repeat(4001), { date: now + 2 })).toEqual([TEXT.descriptionTooLong]);
    expect(await chat.text('Mô tả đã rút gọn MARKER-short', { date: now + 3 })).toEqual([
      TEXT.candidateDescription,
    ]);
    expect(await chat.press('Dùng làm mô tả')).toEqual([TEXT.askPhotos(0)]);
    await chat.press('Không có ảnh');
    const [summary] = await chat.press('Không');
    expect(summary).toContain('MARKER-short');
    expect(summary).not.toContain('MARKER-rest');
    // Later than the paste window, a text is taken at once; exactly the limit is valid.
    await chat.text('/huy');
    await chat.press('Hủy tin báo');
    await walk(chat, 'description');
    expect(await chat.text('a'.repeat(4001), { date: now })).toEqual([TEXT.descriptionTooLong]);
    const later = now + Math.ceil(PASTE_PART_MS / 1000) + 1;
    expect(await chat.text('d'.repeat(4000), { date: later })).toEqual([TEXT.askPhotos(0)]);
  });

  it('refuses descriptions of invisible characters or emoji only, with a clear hint', async () => {
    const chat = newChat();
    await walk(chat, 'description');
    for (const empty of ['\u200B\u200B', '\u2060', '\uFEFF \uFEFF', '😀😀🔥', '   ']) {
      const answer = await chat.text(empty);
      expect(answer.at(-1), JSON.stringify(empty)).toContain(HINT('description'));
    }
    expect((await chat.text('😀😀'))[0]).toContain(TEXT.descriptionMeaningless);
    expect(await chat.text('Có người bán 😀')).toEqual([TEXT.askPhotos(0)]);
  });

  it('offers a text sent at the photo step to be added to the description', async () => {
    const chat = newChat();
    await walk(chat, 'photos', 'Phần đầu MARKER-a');
    expect(await chat.text('Thêm chi tiết MARKER-b')).toEqual([TEXT.addText]);
    expect(await chat.press('Thêm vào mô tả')).toEqual([TEXT.textAdded, TEXT.askPhotos(0)]);
    await chat.press('Không có ảnh');
    const [summary] = await chat.press('Không');
    expect(summary).toContain('Phần đầu MARKER-a\nThêm chi tiết MARKER-b');
  });

  it('removes the summary’s buttons once the tip is sent or cancelled; pressing them later is harmless', async () => {
    const chat = newChat();
    await walk(chat, 'consent');
    await chat.press('Đồng ý');
    const summaryId = chat.lastSentMessageId();
    const sendData = chat.dataOf('Gửi');
    const sent = await chat.press('Gửi');
    expect(sent.at(-1)).toContain('Mã tin báo');
    const edits = chat.callsOf('editMessageReplyMarkup');
    expect(edits.map((call) => call.payload.message_id)).toContain(summaryId);
    expect((await chat.pressData(sendData))[0]).toContain(TEXT.draftGone);
    expect(await jobCount()).toBe(1);
  });

  it('places a location pin in its commune and province, and refuses one outside Vietnam', async () => {
    const chat = newChat();
    await walk(chat, 'province');
    for (const [latitude, longitude] of [
      [48.8566, 2.3522], // Paris
      [-90, 0], // the South Pole
      [12.5, 113.5], // the sea far offshore
    ] as const) {
      expect((await chat.location(latitude, longitude))[0]).toContain(TEXT.locationOutside);
    }
    // A point inside Xã Ba Đình (Hà Nội) while at the province step: proposed with its province.
    expect(await chat.location(21.036323, 105.837605)).toEqual([
      'Vị trí của bạn thuộc Phường Ba Đình, Thành phố Hà Nội — đúng không?',
    ]);
    // The resident may type another place instead.
    expect((await chat.text('quang tri'))[0]).toContain('Tỉnh Quảng Trị');
    expect(await chat.location(16.552343, 106.930332)).toEqual([
      'Vị trí của bạn thuộc Xã Đakrông, Tỉnh Quảng Trị — đúng không?',
    ]);
    expect(await chat.press('Đúng')).toEqual([TEXT.askVenue]);
    await chat.press('Quán karaoke');
    await chat.press('Hôm nay');
    await chat.text('Mô tả có vị trí');
    await chat.press('Không có ảnh');
    const [summary] = await chat.press('Đồng ý');
    expect(summary).toContain('• Địa điểm: Xã Đakrông, Tỉnh Quảng Trị');
    expect(summary).toContain('• Vị trí: đã gửi');
  });

  it('ranks whole-word commune matches first and says when there are more than the buttons', async () => {
    const chat = newChat();
    await walk(chat, 'province');
    const prompt = await chat.text('ha noi');
    expect(prompt[0]).toContain(`ví dụ: "${communeExampleOf(units, '01')}"`);
    const answer = await chat.text('hoa');
    expect(answer[0]).toMatch(/^Có \d+ kết quả, hãy gõ thêm chữ để thu hẹp/);
    const labels = chat.lastButtons().map((button) => button.text);
    // Eight communes, «Không nhớ chính xác địa điểm» and «Chọn tỉnh khác».
    expect(labels).toHaveLength(10);
    expect(labels).toEqual(expect.arrayContaining(['Xã Ứng Hòa (Hà Nội)', 'Phường Yên Hòa (Hà Nội)']));
    expect(labels.some((label) => label.includes('Hoàn Kiếm'))).toBe(false);
    expect(await chat.text('ung hoa')).toEqual([
      `• Huyện Ứng Hòa cũ nay gồm: Xã Vân Đình, Xã Ứng Thiên, Xã Ứng Hòa, Xã Hòa Xá\n${TEXT.communeMatches}`,
    ]);
  });

  it('says plainly what Telegram sees and what TinBao keeps', async () => {
    const chat = newChat();
    const [welcome] = await chat.text('/start');
    expect(welcome).toContain('Telegram biết tài khoản của bạn đã nhắn cho bot này');
    expect(welcome).toContain('TinBao không lưu tài khoản hay số điện thoại của bạn');
    expect(welcome).toContain('trang web');
  });

  it('names only the photo step’s shown button in its hints', async () => {
    const chat = newChat();
    await walk(chat, 'photos');
    expect(chat.lastButtons().map((button) => button.text)).toEqual(['Không có ảnh', '« Quay lại']);
    const [hint] = await chat.other('sticker');
    expect(hint).toBe(photosHint(0));
    expect(hint).not.toContain('Xong');
    expect(TEXT.askPhotos(1)).toContain('«Xong»');
  });
});
