import { randomBytes } from 'node:crypto';
import { tips } from '@tinbao/api/platform/schema';
import { createWebAdapter, WEB_CAPABILITIES, WEB_SECURITY_HEADERS } from '@tinbao/bot/channels/web/adapter';
import { WEB_TEXT, webWording } from '@tinbao/bot/channels/web/copy';
import { PATHS } from '@tinbao/bot/channels/web/pages';
import { CATEGORY_LABELS, hintOf, TEXT, VENUE_LABELS, WHEN_LABELS } from '@tinbao/bot/conversation/messages';
import { createGateway } from '@tinbao/bot/gateway';
import { jpegWithGps } from '@tinbao/bot/testing/photos';
import { MAX_DESCRIPTION_LENGTH, openSealedTip, TipContentSchema } from '@tinbao/shared';
import { dumpRedisPrefix } from '@tinbao/shared/testing/redis-prefix';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotWorld, receiptOf, startBotWorld, waitForTip } from '../support/bot-world';
import { findAll } from '../support/html-page';
import { startTipInDakrong, webResident } from '../support/residents';
import { hiddenFields, parsePage, WebClient, type WebPage } from '../support/web-client';

// The web form beyond the conformance suite: what every page and response must carry, bad
// input at every step (nothing given is lost), «Gửi» twice, a lost answer to «Gửi», the
// status page, the slow-down, and the cookie. A plain HTTP client, real Redis and PGlite.
let world: BotWorld;
beforeAll(async () => {
  world = await startBotWorld();
});
afterAll(async () => {
  await world?.close();
});

type Resident = ReturnType<typeof webResident>;
const lastPage = (you: Resident): WebPage => you.client.page!;

/** Every response a client received must carry the headers, and no page any script or outside URL. */
function checkResponses(client: WebClient) {
  expect(client.responses.length).toBeGreaterThan(0);
  for (const response of client.responses) {
    for (const [name, value] of Object.entries(WEB_SECURITY_HEADERS))
      expect(response.headers.get(name), `${response.url} ${name}`).toBe(value);
    expect(response.headers.get('content-security-policy')).toContain(
      "default-src 'self'; script-src 'none'",
    );
    expect(response.headers.get('x-powered-by')).toBeNull();
    if (!response.body) continue;
    const page = parsePage(response.url, response.status, response.headers, response.body);
    expect(
      findAll(page.root, (node) => node.tag === 'script'),
      response.url,
    ).toEqual([]);
    expect(response.body).not.toMatch(/<script/i);
    expect(response.body).not.toMatch(/\son[a-z]+\s*=/i);
    const urls = findAll(page.root, (node) =>
      ['href', 'src', 'action', 'formaction'].some((name) => name in node.attrs),
    ).flatMap((node) =>
      ['href', 'src', 'action', 'formaction'].flatMap((name) => (node.attrs[name] ? [node.attrs[name]] : [])),
    );
    for (const url of urls) expect(url, response.url).toMatch(/^\/(?!\/)/);
    expect(response.body).not.toMatch(/(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
    expect(response.body).not.toMatch(/\/(start|huy|trogiup)\b/);
    expect(Buffer.byteLength(response.body), response.url).toBeLessThan(30 * 1024);
  }
}

/** Walks a resident to the summary; each step's answer as given. */
async function toSummary(you: Resident, marker: string, options: { photo?: boolean } = {}) {
  await startTipInDakrong(you, CATEGORY_LABELS.mua_ban);
  await you.choose(VENUE_LABELS.karaoke);
  await you.choose(WHEN_LABELS.hom_nay);
  await you.say(`Có người bán ma túy ở quán karaoke, tối nào cũng có. ${marker}`);
  if (options.photo) {
    await you.photo(await jpegWithGps(320, 240));
    await you.choose('Xong');
  } else {
    await you.choose('Không có ảnh');
  }
  return you.choose('Không');
}

async function storedAnswers(receiptCode: string) {
  const rows = await waitForTip(world, receiptCode);
  expect(rows).toHaveLength(1);
  expect(rows[0]!.channel).toBe('web');
  const {
    photos,
    reporterPseudonym: _,
    ...answers
  } = TipContentSchema.parse(await openSealedTip(new Uint8Array(rows[0]!.envelope), rows[0]!, world.org));
  return { answers, photos };
}

describe('every page of the web form', () => {
  it('carries the headers, no script, no outside URL, no chat command, under 30 KB with the stylesheet', async () => {
    const you = webResident(world);
    const marker = `MARKER-web-pages-${randomBytes(3).toString('hex')}`;
    const summary = await toSummary(you, marker, { photo: true });
    expect(summary.join('\n')).toContain(marker);
    await you.choose('Sửa');
    await you.choose('Thời gian');
    await you.choose(WHEN_LABELS.hom_qua);
    const sent = await you.choose('Gửi');
    const receiptCode = receiptOf(sent.join('\n'))!;
    expect(lastPage(you).html).toContain(`class="receipt" data-receipt>${receiptCode}<`);
    expect(sent.join('\n')).toContain(WEB_TEXT.receiptWarning);
    await you.client.open(PATHS.status);
    await you.client.open('/no-such-page');
    expect(you.client.page!.status).toBe(404);
    const css = await you.client.open(PATHS.css);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    const cssBytes = Buffer.byteLength(css.html);
    expect(cssBytes).toBeLessThan(4 * 1024);
    checkResponses(you.client);
    const pages = you.client.responses.filter((response) =>
      response.headers.get('content-type')?.startsWith('text/html'),
    );
    const largest = Math.max(...pages.map((response) => Buffer.byteLength(response.body)));
    expect(largest + cssBytes).toBeLessThan(30 * 1024);
    const steps = [...you.client.timings].sort((a, b) => a - b);
    console.info(
      `web form: ${pages.length} pages, largest ${largest} B of HTML, stylesheet ${cssBytes} B; ` +
        `${steps.length} requests, median ${steps[Math.floor(steps.length / 2)]!.toFixed(1)} ms, ` +
        `slowest ${steps.at(-1)!.toFixed(1)} ms (POST, 303 and GET together)`,
    );
    const { answers } = await storedAnswers(receiptCode);
    expect(answers.observed).toBe('hom_qua');
  });

  it('sets one HttpOnly SameSite=Strict cookie for an hour, Secure (and __Host-) over HTTPS', async () => {
    const plain = await fetch(`${world.web().url()}${PATHS.start}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'x-forwarded-for': '198.51.99.1' },
    });
    const [cookie, ...others] = plain.headers.getSetCookie();
    expect(others).toEqual([]);
    expect(cookie).toMatch(
      /^tinbao=[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}; Max-Age=3600; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Strict$/,
    );
    const secure = await fetch(`${world.web().url()}${PATHS.start}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'x-forwarded-for': '198.51.99.2', 'x-forwarded-proto': 'https' },
    });
    expect(secure.headers.getSetCookie()[0]).toMatch(
      /^__Host-tinbao=.*; Path=\/; .*HttpOnly; Secure; SameSite=Strict$/,
    );
  });
});

describe('bad input on every step keeps what was given', () => {
  it('empty, forged, replayed and too long answers get a Vietnamese message, then the tip is exactly the answers', async () => {
    const you = webResident(world);
    const marker = `MARKER-web-bad-${randomBytes(3).toString('hex')}`;
    await you.say('/start');
    await you.choose('Gửi tin báo');
    // Empty at every kind of step: the step's hint, the step kept.
    expect((await you.sticker()).at(-1)).toContain(hintOf('category', WEB_CAPABILITIES));
    // A forged step: no menu seq at all, and an option the menu never had.
    const form = lastPage(you).forms.find((candidate) =>
      candidate.controls.some((control) => control.type === 'radio'),
    )!;
    const fields = hiddenFields(form).filter(([name]) => name !== 'menu');
    expect(
      (await you.client.submit({ form, fields: [...fields, ['option', 'mua_ban']] })).replies[0],
    ).toContain(TEXT.staleButton);
    expect(
      (await you.client.submit({ form, fields: [...hiddenFields(form), ['option', 'drop_table']] }))
        .replies[0],
    ).toContain(TEXT.staleButton);
    expect(
      (await you.client.submit({ form, fields: [...hiddenFields(form), ['option', '<script>']] })).replies[0],
    ).toContain(TEXT.staleButton);
    await you.choose(CATEGORY_LABELS.tu_diem);
    // A replayed category form (an old tab): stale, and the province step stays.
    const replayed = await you.client.submit({
      form,
      fields: [...hiddenFields(form), ['option', 'mua_ban']],
    });
    expect(replayed.replies[0]).toContain(TEXT.staleButton);
    expect((await you.sticker()).at(-1)).toContain(hintOf('province', WEB_CAPABILITIES));
    expect((await you.say('x'.repeat(200)))[0]).toContain(TEXT.provinceNotFound);
    await you.say('quang tri');
    expect((await you.sticker()).at(-1)).toContain('Vui lòng gõ một phần tên xã');
    await you.say('dak rong');
    await you.choose('Xã Đakrông (Quảng Trị)');
    expect((await you.sticker()).at(-1)).toContain(hintOf('venue', WEB_CAPABILITIES));
    await you.choose(VENUE_LABELS.nha_rieng);
    await you.choose(WHEN_LABELS.trong_tuan);
    // Description: empty, invisible only, too long (by the flow), then a body over the limit (413).
    expect((await you.sticker()).at(-1)).toContain(webWording(hintOf('description', WEB_CAPABILITIES)));
    expect((await you.say('\u200b\u2060\ufeff'))[0]).toContain(TEXT.descriptionMeaningless);
    expect((await you.say('a'.repeat(MAX_DESCRIPTION_LENGTH + 1)))[0]).toContain('Mô tả quá dài');
    const describe = lastPage(you).forms.find((candidate) =>
      candidate.controls.some((control) => control.name === 'text'),
    )!;
    const huge = await you.client.submit({
      form: describe,
      fields: [...hiddenFields(describe), ['text', 'ấ'.repeat(30_000)]],
    });
    expect(huge.status).toBe(413);
    expect(huge.replies[0]).toBe(WEB_TEXT.bodyTooLarge);
    // Back on the form page: still the description step, nothing lost.
    const kept = await you.client.open(PATHS.form);
    expect(findAll(kept.root, (node) => node.tag === 'textarea')).toHaveLength(1);
    const description = `Tụ điểm trong hẻm, tối thứ bảy đông người. ${marker}`;
    await you.say(description);
    // Photos: empty, a non-image file, a 15 MB file, then a real one.
    expect((await you.sticker()).at(-1)).toContain(hintOf('photos', WEB_CAPABILITIES));
    expect((await you.photo(new TextEncoder().encode('%PDF-1.4 not an image')))[0]).toContain(
      TEXT.photoNotImage,
    );
    const big = new Uint8Array(15 * 1024 * 1024);
    big.set([0xff, 0xd8, 0xff, 0xe0]);
    const tooLarge = await you.photo(big);
    expect(lastPage(you).status).toBe(200);
    expect(tooLarge[0]).toContain(TEXT.photoTooLarge);
    expect((await you.photo(await jpegWithGps(320, 240)))[0]).toContain(TEXT.photoReceived(1));
    await you.choose('Xong');
    expect((await you.sticker()).at(-1)).toContain(hintOf('consent', WEB_CAPABILITIES));
    await you.choose('Đồng ý');
    expect((await you.sticker()).at(-1)).toContain(hintOf('summary', WEB_CAPABILITIES));
    // Quay lại from the summary, then on again.
    await you.choose('Sửa');
    await you.choose('« Quay lại');
    const sent = await you.choose('Gửi');
    const { answers, photos } = await storedAnswers(receiptOf(sent.join('\n'))!);
    expect(answers).toEqual({
      category: 'tu_diem',
      provinceCode: '44',
      communeCode: '19564',
      venueType: 'nha_rieng',
      observed: 'trong_tuan',
      description,
      followUpConsent: true,
    });
    expect(photos).toHaveLength(1);
    checkResponses(you.client);
  });

  it('a missing, forged or foreign draft cookie, or a form from another site, changes nothing', async () => {
    const you = webResident(world);
    await you.say('/start');
    await you.choose('Gửi tin báo');
    await you.choose(CATEGORY_LABELS.su_dung);
    const form = lastPage(you).forms.find((candidate) =>
      candidate.controls.some((control) => control.name === 'text'),
    )!;
    const cookie = you.client.cookies.get('tinbao')!;

    // Missing: the cookie was cleared (or blocked).
    you.client.cookies.delete('tinbao');
    const missing = await you.client.submit({ form, fields: [...hiddenFields(form), ['text', 'quang tri']] });
    expect(missing.status).toBe(400);
    expect(missing.replies[0]).toBe(WEB_TEXT.noCookie);
    // Forged: an id TinBao never issued.
    you.client.cookies.set('tinbao', `${'A'.repeat(22)}.${'B'.repeat(22)}`);
    expect((await you.client.replay()).replies[0]).toBe(WEB_TEXT.noCookie);
    // Foreign: another resident's valid draft cookie with this form (its CSRF token is not theirs).
    const other = webResident(world);
    await other.say('/start');
    await other.choose('Gửi tin báo');
    you.client.cookies.set('tinbao', other.client.cookies.get('tinbao')!);
    const foreign = await you.client.replay();
    expect(foreign.status).toBe(403);
    expect(foreign.replies[0]).toBe(WEB_TEXT.foreignForm);
    expect(foreign.replies[1]).toContain(TEXT.askCategory);
    // From another site (the browser says so).
    you.client.cookies.set('tinbao', cookie);
    const crossSite = await you.client.replay({ 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    expect(crossSite.replies[0]).toBe(WEB_TEXT.crossSite);
    // Nothing was taken: both drafts are where they were.
    await you.client.open(PATHS.form);
    expect((await you.say('quang tri'))[0]).toContain('Tỉnh Quảng Trị');
    expect((await other.choose(CATEGORY_LABELS.mua_ban))[0]).toContain('Bước 2/8');
    checkResponses(you.client);
  });
});

describe('«Gửi»', () => {
  it('pressed twice (one after the other, and both at once) makes one tip and shows its receipt each time', async () => {
    const you = webResident(world);
    await toSummary(you, `MARKER-web-twice-${randomBytes(3).toString('hex')}`);
    const first = await you.choose('Gửi');
    const receiptCode = receiptOf(first.join('\n'))!;
    const second = await you.client.replay();
    expect(receiptOf(second.replies.join('\n'))).toBe(receiptCode);
    await waitForTip(world, receiptCode);

    const both = webResident(world);
    await toSummary(both, `MARKER-web-both-${randomBytes(3).toString('hex')}`);
    const form = lastPage(both).forms.find((candidate) =>
      candidate.controls.some((control) => control.label === 'Gửi'),
    )!;
    const submission = { form, fields: [...hiddenFields(form), ['option', 'send'] as [string, string]] };
    const [a, b] = await Promise.all(
      [
        new WebClient(both.client.base, both.client.address),
        new WebClient(both.client.base, both.client.address),
      ].map((client) => {
        for (const [name, value] of both.client.cookies) client.cookies.set(name, value);
        return client.submit(submission);
      }),
    );
    const code = receiptOf(a!.replies.join('\n'))!;
    expect(receiptOf(b!.replies.join('\n'))).toBe(code);
    await waitForTip(world, code);
    expect(
      await world.database.db.select({ id: tips.id }).from(tips).where(eq(tips.receiptCode, code)),
    ).toHaveLength(1);
  });

  it('whose answer never arrived: the next page view shows the receipt, and there is one tip', async () => {
    const you = webResident(world);
    await toSummary(you, `MARKER-web-lost-${randomBytes(3).toString('hex')}`);
    const form = lastPage(you).forms.find((candidate) =>
      candidate.controls.some((control) => control.label === 'Gửi'),
    )!;
    // The POST only: its 303 is dropped on the way (a lost connection), the page never drawn.
    const lost = await fetch(`${you.client.base}${PATHS.form}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: `tinbao=${you.client.cookies.get('tinbao')}`,
        'x-forwarded-for': you.client.address,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams([...hiddenFields(form), ['option', 'send']]),
    });
    expect(lost.status).toBe(303);
    const again = await you.client.open(PATHS.form);
    const receiptCode = receiptOf(again.replies.join('\n'))!;
    expect(again.replies.join('\n')).toContain(WEB_TEXT.receiptThanks);
    await waitForTip(world, receiptCode);
    // «Xong» forgets it in this browser: the cookie goes, the welcome page follows.
    const done = lastPage(you).forms.find((candidate) => candidate.action === PATHS.done)!;
    await you.client.submit({ form: done, fields: hiddenFields(done) });
    expect(you.client.cookies.has('tinbao')).toBe(false);
    expect(lastPage(you).replies.join('\n')).toContain(WEB_TEXT.intro);
  });
});

describe('a gateway restart', () => {
  it('loses nothing: the draft and the page it showed are in Redis (encrypted), the cookie still opens them', async () => {
    const you = webResident(world);
    const marker = `MARKER-web-restart-${randomBytes(3).toString('hex')}`;
    const summary = await toSummary(you, marker);
    await world.restartBot();
    const again = await you.client.open(PATHS.form);
    expect(again.replies).toEqual(summary);
    const sent = await you.choose('Gửi');
    const { answers } = await storedAnswers(receiptOf(sent.join('\n'))!);
    expect(answers.description).toContain(marker);
  });
});

describe('the status page', () => {
  it('takes a code and answers through the same look-up as /trangthai', async () => {
    const you = webResident(world);
    await toSummary(you, `MARKER-web-status-${randomBytes(3).toString('hex')}`);
    const receiptCode = receiptOf((await you.choose('Gửi')).join('\n'))!;
    await you.client.open(PATHS.status);
    const ask = async (code: string) => {
      const form = lastPage(you).forms.find((candidate) => candidate.action === PATHS.status)!;
      return (await you.client.submit({ form, fields: [['code', code]] })).replies;
    };
    // This gateway runs without the api: the core's own "coming soon" answer, as on the bots.
    expect(await ask(receiptCode.toLowerCase())).toEqual([TEXT.statusComing(receiptCode)]);
    expect(await ask('TB-12')).toEqual([TEXT.statusBadCode]);
    expect(await ask('   ')).toEqual([WEB_TEXT.statusEmpty]);
    checkResponses(you.client);
  });
});

describe('abuse without identity', () => {
  it('slows new drafts down while a flood is detected (a wait page, no script), and limits requests', async () => {
    let clock = Date.now();
    const gateway = createGateway(world.botDeps);
    const guarded = createWebAdapter({
      port: 0,
      redis: world.botRedis,
      redisPrefix: world.prefix,
      draftKey: world.botDeps.draftKey,
      pseudonyms: gateway.pseudonyms,
      logger: world.botDeps.logger,
      trustProxy: 'loopback',
      limits: { draftsPerAddress: 2, waitSeconds: 5, requestsPerMinute: 30 },
      now: () => clock,
    });
    await guarded.start((event, deliver) =>
      gateway.conversation.handle(event.resident, guarded.caps, event.input, deliver),
    );
    try {
      const client = new WebClient(guarded.url(), '203.0.113.7');
      const start = async () => {
        await client.open('/');
        const form = client.page!.forms.find((candidate) => candidate.action === PATHS.start)!;
        return client.submit({ form, fields: hiddenFields(form) });
      };
      expect((await start()).replies[0]).toContain(TEXT.askCategory);
      expect((await start()).replies[0]).toContain(TEXT.askCategory);
      // The third within ten minutes: wait, with a reload after the wait and a button.
      const wait = await start();
      expect(wait.url).toContain(`${PATHS.wait}?ve=`);
      expect(wait.replies[0]).toBe(WEB_TEXT.wait(5));
      expect(wait.html).toContain('<meta http-equiv="refresh" content="5">');
      const proceed = () => {
        const form = client.page!.forms.find((candidate) => candidate.action === PATHS.start)!;
        return client.submit({ form, fields: hiddenFields(form) });
      };
      // Too early: the same wait again.
      expect((await proceed()).replies[0]).toBe(WEB_TEXT.wait(5));
      clock += 5_000;
      expect((await client.open(client.page!.url)).replies[0]).toBe(WEB_TEXT.waitReady);
      expect((await proceed()).replies[0]).toContain(TEXT.askCategory);
      // Another address is not slowed down.
      const neighbour = new WebClient(guarded.url(), '203.0.113.8');
      await neighbour.open('/');
      const form = neighbour.page!.forms.find((candidate) => candidate.action === PATHS.start)!;
      expect((await neighbour.submit({ form, fields: [] })).replies[0]).toContain(TEXT.askCategory);
      // Requests per minute: then a clear page with Retry-After; a minute later all is well.
      let limited: WebPage | undefined;
      for (let request = 0; request < 40 && !limited; request++) {
        const page = await client.open(PATHS.status);
        if (page.status === 429) limited = page;
      }
      expect(limited?.replies[0]).toBe(WEB_TEXT.tooManyRequests);
      expect(limited?.headers.get('retry-after')).toBe('60');
      clock += 61_000;
      expect((await client.open(PATHS.form)).status).toBe(200);
      checkResponses(client);
      // The addresses were never written down: not in Redis, not in the logs.
      const dump = await dumpRedisPrefix(world.apiRedis, world.prefix);
      for (const address of ['203.0.113.7', '203.0.113.8']) {
        expect(
          dump.filter((entry) => entry.bytes.includes(Buffer.from(address))).map((entry) => entry.key),
        ).toEqual([]);
        expect(world.logs.text()).not.toContain(address);
      }
    } finally {
      await guarded.stop();
    }
  });
});
