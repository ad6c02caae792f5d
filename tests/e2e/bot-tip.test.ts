import { tips } from '@tinbao/api/platform/schema';
import { TELEGRAM_CAPABILITIES } from '@tinbao/bot/channels/telegram/adapter';
import { hintOf, photosHint, TEXT } from '@tinbao/bot/conversation/messages';
import { hasExifOrGps, jpegWithGps } from '@tinbao/bot/testing/photos';

const HINTS = {
  category: hintOf('category', TELEGRAM_CAPABILITIES),
  description: hintOf('description', TELEGRAM_CAPABILITIES),
};

import { openSealedTip, TipContentSchema } from '@tinbao/shared';
import { dumpRedisPrefix } from '@tinbao/shared/testing/redis-prefix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotWorld, receiptOf, resident, startBotWorld, waitForTip } from '../support/bot-world';

// Ten digits no timestamp or counter in Redis is likely to contain.
const CHAT_ID = 5_550_123_987;
const MARKER = 'MARKER-e2e-ban-ma-tuy-9137';
const DESCRIPTION = `Có người bán ma túy ở quán karaoke đầu ngõ, tối nào cũng có. ${MARKER}`;

let world: BotWorld;
beforeAll(async () => {
  world = await startBotWorld();
});
afterAll(async () => {
  await world?.close();
});

describe('a resident sends a tip through Telegram (emulated) to the database', () => {
  it('ends with a receipt code and one tip whose envelope opens to exactly the answers given', async () => {
    const you = resident(world.client, CHAT_ID);
    const [welcome] = await you.say('/start');
    expect(welcome?.text).toContain('TinBao');
    expect((await you.press('Gửi tin báo'))[0]?.text).toBe(TEXT.askCategory);

    // A sticker and a forged button on the way: hints, no crash.
    expect((await you.other('sticker'))[0]?.text).toContain(HINTS.category);
    const categoryMessage = await you.lastWithButtons();
    expect((await you.pressData('c:heroin', categoryMessage.message_id))[0]?.text).toContain(HINTS.category);

    expect((await you.press('Mua bán ma túy', categoryMessage))[0]?.text).toBe(
      TEXT.askProvince(TELEGRAM_CAPABILITIES),
    );
    expect((await you.say('quang tri'))[0]?.text).toContain('Tỉnh Quảng Trị');
    const [matches] = await you.say('dak rong');
    expect(matches?.text?.endsWith(`\n${TEXT.communeMatches}`)).toBe(true);
    expect((await you.press('Xã Đakrông (Quảng Trị)', matches))[0]?.text).toBe(TEXT.askVenue);
    expect((await you.press('Quán karaoke'))[0]?.text).toBe(TEXT.askWhen);
    expect((await you.press('Hôm nay'))[0]?.text).toBe(TEXT.askDescription);
    // Telegram sends a paste over 4,096 characters as two messages, back to back: the first is
    // refused, the second is neither taken silently nor dropped: the resident is asked.
    expect((await you.say('a'.repeat(4096)))[0]?.text).toBe(TEXT.descriptionTooLong);
    expect((await you.say('phần còn lại của đoạn dán, giữa câu'))[0]?.text).toBe(TEXT.candidateDescription);
    expect((await you.press('Không, tôi sẽ gửi lại'))[0]?.text).toBe(TEXT.askDescription);
    expect((await you.sayRaw('a'.repeat(5000)))[0]?.text).toBe(TEXT.descriptionTooLong);
    expect((await you.other('sticker'))[0]?.text).toContain(HINTS.description);

    // A photo sent before the description is kept (encrypted) for the photo step.
    const original = await jpegWithGps(800, 600);
    expect(await hasExifOrGps(original)).toEqual({ exif: true, gps: true });
    expect((await you.photo(original))[0]?.text).toBe(TEXT.photoKeptForLater(1));
    expect((await you.say(DESCRIPTION))[0]?.text).toBe(TEXT.askPhotos(1));
    expect((await you.lastWithButtons()).reply_markup).toEqual({
      inline_keyboard: [
        [expect.objectContaining({ text: 'Xong' }), expect.objectContaining({ text: '« Quay lại' })],
      ],
    });
    expect((await you.other('voice'))[0]?.text).toContain(photosHint(1));
    expect((await you.press('Xong'))[0]?.text).toBe(TEXT.askConsent);
    const [summary] = await you.press('Đồng ý');
    expect(summary?.text).toContain('Xã Đakrông, Tỉnh Quảng Trị');
    expect(summary?.text).toContain(MARKER);

    // Mid-conversation, the draft and its photo wait in Redis: encrypted, under keyed-hash names.
    const midway = await dumpRedisPrefix(world.apiRedis, world.prefix);
    expect(midway.some((entry) => entry.key.includes(':bot:draft:'))).toBe(true);
    expect(midway.some((entry) => entry.key.includes(':bot:photo:'))).toBe(true);
    for (const entry of midway) {
      for (const needle of [MARKER, String(CHAT_ID), 'TestPhone', 'Đakrông']) {
        expect(entry.bytes.includes(Buffer.from(needle)), `${entry.key} ${needle}`).toBe(false);
      }
    }

    const [sent] = await you.press('Gửi', summary);
    // The summary's buttons are gone once the tip is sent (removed before the receipt is sent).
    const messages = await world.client.messages(CHAT_ID);
    expect(
      messages.find((message) => message.message_id === summary!.message_id)?.reply_markup,
    ).toBeUndefined();
    const receiptCode = receiptOf(sent?.text);
    expect(receiptCode, sent?.text).toBeDefined();
    expect(sent?.text).toContain(`/trangthai ${receiptCode}`);

    const rows = await waitForTip(world, receiptCode!);
    expect(rows).toHaveLength(1);
    expect(await world.database.db.select({ id: tips.id }).from(tips)).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({
      category: 'mua_ban',
      provinceCode: '44',
      communeCode: '19564',
      venueType: 'karaoke',
      observed: 'hom_nay',
      channel: 'telegram',
    });

    const content = TipContentSchema.parse(await openSealedTip(new Uint8Array(row.envelope), row, world.org));
    const { photos, reporterPseudonym, ...answers } = content;
    expect(answers).toEqual({
      category: 'mua_ban',
      provinceCode: '44',
      communeCode: '19564',
      venueType: 'karaoke',
      observed: 'hom_nay',
      description: DESCRIPTION,
      followUpConsent: true,
    });
    expect(reporterPseudonym).not.toContain(String(CHAT_ID));
    expect(photos).toHaveLength(1);
    const photo = Buffer.from(photos[0]!.dataBase64, 'base64');
    expect(await hasExifOrGps(photo)).toEqual({ exif: false, gps: false });
    expect({ width: photos[0]!.width, height: photos[0]!.height }).toEqual({ width: 800, height: 600 });
    // Consent is sealed in the tip, but no reply token (nothing that leads to the chat) is stored.
    expect(row.replyToken).toBeNull();

    // No plaintext anywhere but Telegram: Redis (every key of the test), job payloads, logs.
    const needles = [MARKER, String(CHAT_ID)];
    for (const entry of await dumpRedisPrefix(world.apiRedis, world.prefix)) {
      for (const needle of needles)
        expect(entry.bytes.includes(Buffer.from(needle)), `${entry.key} ${needle}`).toBe(false);
    }
    const jobs = [
      ...(await world.queues.intake.getJobs(['completed', 'waiting', 'active', 'delayed', 'failed'])),
      ...(await world.queues.triage.getJobs(['completed', 'waiting', 'active', 'delayed', 'failed'])),
    ];
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) {
      const payload = JSON.stringify({ data: job.data, returnvalue: job.returnvalue, name: job.name });
      for (const needle of needles) expect(payload).not.toContain(needle);
    }
    const logText = world.logs.text();
    expect(logText).toContain('tip submitted');
    expect(logText).toContain('tip stored');
    for (const needle of needles) expect(logText).not.toContain(needle);
  });

  it('/huy forgets the draft and creates no tip', async () => {
    const chatId = CHAT_ID + 1;
    const you = resident(world.client, chatId);
    const before = (await world.database.db.select({ id: tips.id }).from(tips)).length;
    await you.say('/start');
    await you.press('Gửi tin báo');
    await you.press('Tàng trữ, vận chuyển');
    await you.say('ha noi');
    expect((await you.say('/huy'))[0]?.text).toBe(TEXT.confirmCancel);
    expect((await you.press('Hủy tin báo'))[0]?.text).toBe(TEXT.cancelled);
    // Back at the start: anything typed is answered with the welcome, and no tip is made.
    expect((await you.say('ba dinh'))[0]?.text).toContain('Xin chào! Đây là TinBao');
    expect(await world.database.db.select({ id: tips.id }).from(tips)).toHaveLength(before);
    expect(await world.queues.intake.getJobCountByTypes('waiting', 'active', 'delayed')).toBe(0);
  });

  it('takes no tip in a group chat', async () => {
    const groupId = -(CHAT_ID + 2);
    await world.client.sendText(groupId, '/start', {
      chatType: 'group',
      from: { id: CHAT_ID + 2, first_name: 'A' },
    });
    const [answer] = await world.client.waitForMessages(groupId, { count: 1, timeoutMs: 10_000 });
    expect(answer?.text).toBe(TEXT.groupChat);
  });
});
