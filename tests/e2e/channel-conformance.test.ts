import { randomBytes, randomUUID } from 'node:crypto';
import { tips, unitCommunes, units } from '@tinbao/api/platform/schema';
import { proposeUnits } from '@tinbao/api/routing/service';
import { TELEGRAM_CAPABILITIES } from '@tinbao/bot/channels/telegram/adapter';
import { WEB_CAPABILITIES } from '@tinbao/bot/channels/web/adapter';
import { webWording } from '@tinbao/bot/channels/web/copy';
import { ZALO_CAPABILITIES } from '@tinbao/bot/channels/zalo/adapter';
import type { Step } from '@tinbao/bot/conversation/draft';
import { CATEGORY_LABELS, hintOf, TEXT, VENUE_LABELS, WHEN_LABELS } from '@tinbao/bot/conversation/messages';
import { hasExifOrGps, jpegWithGps } from '@tinbao/bot/testing/photos';
import {
  type ObservedWhen,
  openSealedTip,
  type TipCategory,
  TipCategorySchema,
  TipContentSchema,
  type VenueType,
} from '@tinbao/shared';
import { dumpRedisPrefix } from '@tinbao/shared/testing/redis-prefix';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotWorld, receiptOf, startBotWorld, waitForTip } from '../support/bot-world';
import {
  type ResidentDriver,
  startTipInDakrong,
  telegramResident,
  webResident,
  zaloResident,
} from '../support/residents';

// The same conversations on every channel, through its emulator (the web form: its own pages)
// over real HTTP, each ending in exactly one stored tip whose envelope opens to exactly the
// answers given. Where a case is messenger-specific, the web's own version is said below.
let world: BotWorld;
let nextTelegramChat = 5_560_000_001;
/** The commune police of Xã Hướng Hiệp (19555), which took in the old Thị trấn Krông Klang. */
let huongHiepPolice: string;
beforeAll(async () => {
  world = await startBotWorld();
  // Seeded with every commune: each commune's police covers its commune.
  const [unit] = await world.database.db
    .select({ id: units.id })
    .from(units)
    .innerJoin(unitCommunes, eq(unitCommunes.unitId, units.id))
    .where(eq(unitCommunes.communeCode, '19555'));
  huongHiepPolice = unit!.id;
});
afterAll(async () => {
  await world?.close();
});

const CHANNELS = [
  {
    name: 'telegram' as const,
    caps: TELEGRAM_CAPABILITIES,
    resident: (): ResidentDriver => telegramResident(world, nextTelegramChat++),
    privacy: 'Telegram biết tài khoản của bạn',
    wording: (text: string) => text,
  },
  {
    name: 'zalo' as const,
    caps: ZALO_CAPABILITIES,
    resident: (): ResidentDriver => zaloResident(world, `zc${randomBytes(8).toString('hex')}`),
    privacy: 'Zalo biết tài khoản của bạn (gắn với số điện thoại)',
    wording: (text: string) => text,
  },
  {
    // A plain HTTP client over the pages (no browser): stickers become forms sent empty, /start
    // the welcome page, /huy the «Hủy tin báo» button; the core's few command-naming lines are
    // said the web's way (webWording).
    name: 'web' as const,
    caps: WEB_CAPABILITIES,
    resident: (): ResidentDriver => webResident(world),
    privacy: 'không ghi địa chỉ IP của bạn',
    wording: webWording,
  },
];

const VENUES: VenueType[] = [
  'karaoke',
  'nha_rieng',
  'nha_nghi_khach_san',
  'quan_ca_phe',
  'truong_hoc',
  'noi_cong_cong',
  'khac',
];
const WHENS: ObservedWhen[] = [
  'dang_dien_ra',
  'hom_nay',
  'hom_qua',
  'trong_tuan',
  'truoc_do',
  'hom_nay',
  'hom_qua',
];

interface Plan {
  category: TipCategory;
  venue: VenueType;
  when: ObservedWhen;
  consent: boolean;
  photo: boolean;
  /** «Sửa» from the summary: the time is changed to "Hôm qua". */
  edit: boolean;
  /** A sticker before each answer: the step's hint, the step kept. */
  badInput: boolean;
  how: 'number' | 'words';
}

const plans: Plan[] = TipCategorySchema.options.map((category, index) => ({
  category,
  venue: VENUES[index]!,
  when: WHENS[index]!,
  consent: index % 2 === 0,
  photo: index % 3 === 0,
  edit: index === 1 || index === 4,
  badInput: index === 2,
  how: index % 2 === 0 ? 'number' : 'words',
}));

describe.each(CHANNELS)('the tip conversation on $name', ({ name, caps, resident, privacy, wording }) => {
  const hint = (step: Step) => wording(hintOf(step, caps));

  async function answer(you: ResidentDriver, plan: Plan, step: Step, act: () => Promise<string[]>) {
    if (plan.badInput) {
      const hinted = await you.sticker();
      expect(hinted.at(-1), `${name} ${step} sticker`).toContain(
        step === 'commune' ? 'Vui lòng gõ một phần tên xã' : hint(step),
      );
    }
    return act();
  }

  it.each(plans)('takes a $category tip and stores exactly the answers given', async (plan) => {
    const you = resident();
    const marker = `MARKER-${name}-${plan.category}-${randomBytes(3).toString('hex')}`;
    const description = `Có người ${CATEGORY_LABELS[plan.category].toLowerCase()} gần đây, tối nào cũng thấy. ${marker}`;
    const [welcome] = await you.say('/start');
    expect(welcome).toContain(privacy);
    expect(welcome).toContain('trang web');
    expect(await you.choose('Gửi tin báo', plan.how)).toEqual([expect.stringContaining(TEXT.askCategory)]);
    await answer(you, plan, 'category', () => you.choose(CATEGORY_LABELS[plan.category], plan.how));
    // A commune typed without diacritics, after the province typed the same way.
    const [communePrompt] = await answer(you, plan, 'province', () => you.say('quang tri'));
    expect(communePrompt).toContain('Tỉnh Quảng Trị');
    expect((await you.say('dak rong'))[0]).toContain(TEXT.communeMatches);
    await answer(you, plan, 'commune', () => you.choose('Xã Đakrông (Quảng Trị)', plan.how));
    await answer(you, plan, 'venue', () => you.choose(VENUE_LABELS[plan.venue], plan.how));
    expect(await answer(you, plan, 'when', () => you.choose(WHEN_LABELS[plan.when], plan.how))).toEqual([
      expect.stringContaining(TEXT.askDescription),
    ]);
    await answer(you, plan, 'description', () => you.say(description));
    if (plan.photo) {
      const photo = await jpegWithGps(640, 480);
      expect((await you.photo(photo))[0]).toContain(TEXT.photoReceived(1));
      await you.choose('Xong', plan.how);
    } else {
      await answer(you, plan, 'photos', () => you.choose('Không có ảnh', plan.how));
    }
    let [summary] = await answer(you, plan, 'consent', () =>
      you.choose(plan.consent ? 'Đồng ý' : 'Không', plan.how),
    );
    expect(summary).toContain(TEXT.summaryTitle);
    expect(summary).toContain(marker);
    let when = plan.when;
    if (plan.edit) {
      await you.choose('Sửa', plan.how);
      await you.choose('Thời gian', plan.how);
      [summary] = await you.choose('Hôm qua', plan.how);
      expect(summary).toContain('• Thời gian: Hôm qua');
      when = 'hom_qua';
    }
    const sent = await answer(you, plan, 'summary', () => you.choose('Gửi', plan.how));
    const receiptCode = receiptOf(sent.join('\n'));
    expect(receiptCode, sent.join('\n')).toBeDefined();

    const rows = await waitForTip(world, receiptCode!);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({
      category: plan.category,
      communeCode: '19564',
      channel: name,
      venueType: plan.venue,
    });
    const content = TipContentSchema.parse(await openSealedTip(new Uint8Array(row.envelope), row, world.org));
    const { photos, reporterPseudonym, ...answers } = content;
    expect(answers).toEqual({
      category: plan.category,
      provinceCode: '44',
      communeCode: '19564',
      venueType: plan.venue,
      observed: when,
      description,
      followUpConsent: plan.consent,
    });
    for (const id of you.platformIds) expect(reporterPseudonym).not.toContain(id);
    expect(photos).toHaveLength(plan.photo ? 1 : 0);
    if (plan.photo)
      expect(await hasExifOrGps(Buffer.from(photos[0]!.dataBase64, 'base64'))).toEqual({
        exif: false,
        gps: false,
      });
  });

  it("takes pre-2025 names (Quảng Bình, Thị trấn Krông Klang) to a tip routed to the new commune's police", async () => {
    const you = resident();
    await you.say('/start');
    await you.choose('Gửi tin báo');
    await you.choose(CATEGORY_LABELS.tu_diem);
    const [province] = await you.say('quang binh');
    expect(province).toContain('Quảng Bình nay thuộc Tỉnh Quảng Trị');
    const [proposal] = await you.say('thi tran krong klang');
    expect(proposal).toContain('Thị trấn Krông Klang nay là Xã Hướng Hiệp');
    expect(await you.choose('Xã Hướng Hiệp (Quảng Trị)')).toEqual([expect.stringContaining(TEXT.askVenue)]);
    await you.choose(VENUE_LABELS.nha_rieng);
    await you.choose(WHEN_LABELS.trong_tuan);
    await you.say('Nhà cuối ngõ, tối nào cũng có người lạ ra vào.');
    await you.choose('Không có ảnh');
    const [summary] = await you.choose('Không');
    expect(summary).toContain('• Địa điểm: Xã Hướng Hiệp, Tỉnh Quảng Trị');
    const receiptCode = receiptOf((await you.choose('Gửi')).join('\n'));
    const [row] = await waitForTip(world, receiptCode!);
    expect(row).toMatchObject({ provinceCode: '44', communeCode: '19555', channel: name });
    const moderator = { userId: randomUUID(), role: 'admin' as const, unitId: null, provinceCode: null };
    const { proposals } = await proposeUnits(world.database.db, moderator, row!.id);
    expect(proposals).toEqual([
      expect.objectContaining({ unitId: huongHiepPolice, reasons: ['covers_commune'] }),
    ]);
  });

  it('takes a tip whose commune the resident does not remember: province only, the place described', async () => {
    const you = resident();
    await you.say('/start');
    await you.choose('Gửi tin báo');
    await you.choose(CATEGORY_LABELS.trong_cay);
    await you.say('quang tri');
    expect(await you.choose('Không nhớ chính xác địa điểm')).toEqual([
      TEXT.communeUnknownNoted,
      expect.stringContaining(TEXT.askVenue),
    ]);
    await you.choose(VENUE_LABELS.khac);
    const [ask] = await you.choose(WHEN_LABELS.trong_tuan);
    expect(ask).toContain(TEXT.describePlace);
    // Too short to find the place: asked again, nothing lost.
    expect((await you.say('Trồng cần sa'))[0]).toContain(TEXT.describePlace);
    const description =
      'Trồng cần sa trong vườn sau nhà, đường đất đỏ đi vào rẫy cà phê, cách chợ xã chừng 2 km.';
    expect((await you.say(description))[0]).toContain('Bước 7/8');
    await you.choose('Không có ảnh');
    const [summary] = await you.choose('Không');
    expect(summary).toContain('• Địa điểm: Tỉnh Quảng Trị (không nhớ chính xác xã, phường)');
    const receiptCode = receiptOf((await you.choose('Gửi')).join('\n'));
    const [row] = await waitForTip(world, receiptCode!);
    expect(row).toMatchObject({ provinceCode: '44', communeCode: null, channel: name });
    const content = TipContentSchema.parse(
      await openSealedTip(new Uint8Array(row!.envelope), row!, world.org),
    );
    expect(content.communeCode).toBeUndefined();
    expect(content.description).toBe(description);
  });

  it('/huy asks, then forgets the draft and makes no tip', async () => {
    const you = resident();
    await startTipInDakrong(you, CATEGORY_LABELS.mua_ban);
    expect(await you.say('/huy')).toEqual([expect.stringContaining(TEXT.confirmCancel)]);
    expect(await you.choose('Hủy tin báo')).toEqual([wording(TEXT.cancelled)]);
    if (name === 'web') {
      // Messenger-specific: typing /huy with nothing to cancel. The page after cancelling
      // offers no «Hủy»; the confirmation sent again (an old tab) finds its draft gone.
      const again = await (you as ReturnType<typeof webResident>).client.replay();
      expect(again.replies).toEqual([wording(TEXT.draftGone)]);
    } else {
      expect(await you.say('/huy')).toEqual([TEXT.nothingToCancel]);
    }
  });

  it.skipIf(name === 'web')('keeps the receipt of a stored tip until it reached the resident', async () => {
    // On the web this case is the lost answer to «Gửi»: tests/e2e/web-form.test.ts.
    const you = resident();
    await startTipInDakrong(you, CATEGORY_LABELS.su_dung);
    await you.choose(VENUE_LABELS.nha_rieng);
    await you.choose(WHEN_LABELS.hom_nay);
    await you.say('Mô tả thử nghiệm biên nhận');
    await you.choose('Không có ảnh');
    await you.choose('Không');
    // The channel refuses the next message once: the receipt does not arrive.
    const fault = {
      method: 'sendMessage',
      count: 1,
      error_code: 400,
      description: 'Bad Request: test refusal',
    };
    if (name === 'telegram') await world.client.injectFault({ ...fault, chatId: Number(you.chatId) });
    else await world.zalo.injectFault({ ...fault, chatId: you.chatId });
    expect(await you.choose('Gửi')).toEqual([]);
    // The resident writes again: the receipt comes first.
    const again = await you.say('xin chào');
    const receiptCode = receiptOf(again[0]);
    expect(again[0]).toContain('Tin báo của bạn đã được gửi, mã');
    await waitForTip(world, receiptCode!);
    expect(
      await world.database.db.select({ id: tips.id }).from(tips).where(eq(tips.receiptCode, receiptCode!)),
    ).toHaveLength(1);
    // Once delivered, it is not repeated.
    expect((await you.say('/start'))[0]).not.toContain(receiptCode!);
  });

  it('leaves no chat or user id and no description in Redis, job payloads or logs', async () => {
    const ids = new Set<string>();
    for (const you of [resident(), resident()]) {
      await you.say('/start');
      await you.choose('Gửi tin báo');
      for (const id of you.platformIds) ids.add(id);
    }
    const needles = [...ids, 'MARKER-'];
    for (const entry of await dumpRedisPrefix(world.apiRedis, world.prefix)) {
      for (const needle of needles)
        expect(entry.bytes.includes(Buffer.from(needle)), `${entry.key} ${needle}`).toBe(false);
    }
    const jobs = [
      ...(await world.queues.intake.getJobs(['completed', 'waiting', 'active', 'delayed', 'failed'])),
      ...(await world.queues.triage.getJobs(['completed', 'waiting', 'active', 'delayed', 'failed'])),
    ];
    for (const job of jobs) {
      const payload = JSON.stringify({ data: job.data, returnvalue: job.returnvalue, name: job.name });
      for (const needle of needles) expect(payload).not.toContain(needle);
    }
    for (const needle of needles) expect(world.logs.text()).not.toContain(needle);
  });
});
