import { randomBytes } from 'node:crypto';
import { MAX_PHOTO_BYTES } from '@tinbao/shared';
import { describe, expect, it } from 'vitest';
import { TEXT } from '../../conversation/messages';
import { createAbuseGuard, DEFAULT_ABUSE_LIMITS } from './abuse';
import { inputsOf } from './adapter';
import { WEB_CANCELLED, webWording } from './copy';
import { html } from './html';
import { stepPage } from './pages';
import { createWebSessions } from './session';

describe('web sessions', () => {
  it('issues random MACed draft ids and per-draft CSRF tokens; refuses anything else', () => {
    const sessions = createWebSessions(randomBytes(32));
    const { draftId, cookie } = sessions.issue();
    expect(sessions.open(cookie)).toBe(draftId);
    expect(sessions.issue().draftId).not.toBe(draftId);
    expect(sessions.open(undefined)).toBeUndefined();
    expect(sessions.open(`${draftId}.${'A'.repeat(22)}`)).toBeUndefined();
    expect(sessions.open(cookie.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')))).toBeUndefined();
    // Another gateway key: its cookies are not ours.
    expect(createWebSessions(randomBytes(32)).open(cookie)).toBeUndefined();
    const token = sessions.csrfToken(draftId);
    expect(sessions.checkCsrf(draftId, token)).toBe(true);
    expect(sessions.checkCsrf(sessions.issue().draftId, token)).toBe(false);
    expect(sessions.checkCsrf(draftId, undefined)).toBe(false);
    expect(sessions.checkCsrf(draftId, [token])).toBe(false);
  });
});

describe('the abuse guard', () => {
  it('slows new drafts of a flooding address down with single-use tickets, others untouched', () => {
    let clock = 1_000_000;
    const guard = createAbuseGuard(
      { ...DEFAULT_ABUSE_LIMITS, draftsPerAddress: 2, waitSeconds: 10 },
      () => clock,
    );
    expect(guard.startDraft('a')).toEqual({ kind: 'ok' });
    expect(guard.startDraft('a')).toEqual({ kind: 'ok' });
    const wait = guard.startDraft('a');
    if (wait.kind !== 'wait') throw new Error(`expected a wait, got ${wait.kind}`);
    expect(wait.seconds).toBe(10);
    // A second ticket waits behind the first: parallel tickets do not add up.
    const second = guard.startDraft('a');
    expect(second.kind === 'wait' && second.seconds).toBe(20);
    expect(guard.startDraft('b')).toEqual({ kind: 'ok' });
    expect(guard.startDraft('a', wait.ticket)).toMatchObject({ kind: 'wait', seconds: 10 });
    clock += 10_000;
    expect(guard.ticketWait(wait.ticket)).toBe(0);
    expect(guard.startDraft('a', wait.ticket)).toEqual({ kind: 'ok' });
    // Used once only; a forged ticket is no ticket.
    expect(guard.startDraft('a', wait.ticket).kind).toBe('wait');
    expect(guard.ticketWait(`${wait.ticket.slice(0, -1)}x`)).toBeUndefined();
    // Ten minutes later the flood is over.
    clock += 10 * 60_000;
    expect(guard.flooded('a')).toBe(false);
    expect(guard.startDraft('a')).toEqual({ kind: 'ok' });
  });

  it('limits requests, submissions and look-ups per address in sliding windows', () => {
    let clock = 0;
    const guard = createAbuseGuard(
      { ...DEFAULT_ABUSE_LIMITS, requestsPerMinute: 3, submissionsPerHour: 1, lookupsPerAddress: 2 },
      () => clock,
    );
    expect([1, 2, 3, 4].map(() => guard.request('a'))).toEqual([true, true, true, false]);
    expect(guard.request('b')).toBe(true);
    clock += 60_001;
    expect(guard.request('a')).toBe(true);
    expect(guard.maySubmit('a')).toBe(true);
    guard.countSubmission('a');
    expect(guard.maySubmit('a')).toBe(false);
    expect([1, 2, 3].map(() => guard.mayLookUp('a'))).toEqual([true, true, false]);
    clock += 3600_001;
    expect(guard.maySubmit('a')).toBe(true);
  });
});

describe('a posted form in the core’s words', () => {
  const form = (fields: Record<string, string>, files: { size: number; truncated?: boolean }[] = []) =>
    inputsOf({
      fields,
      files: files.map((file) => ({
        bytes: new Uint8Array(1),
        size: file.size,
        truncated: file.truncated ?? false,
      })),
      extraFiles: false,
    });

  it('maps radios, back, cancel, text, photos and empty forms; anything without a menu is stale', () => {
    expect(form({ menu: '4', option: 'mua_ban' })).toEqual([{ kind: 'choice', menu: 4, option: 'mua_ban' }]);
    expect(form({ menu: '4', option: 'mua_ban', back: '1' })).toEqual([
      { kind: 'choice', menu: 4, option: 'back' },
    ]);
    expect(form({ menu: '4', cancel: '1' })).toEqual([{ kind: 'text', text: '/huy', menu: 4 }]);
    // NFC at the boundary: "Đakrông" typed decomposed arrives composed.
    expect(form({ menu: '5', text: 'Đakrông'.normalize('NFD') })).toEqual([
      { kind: 'text', text: 'Đakrông', menu: 5 },
    ]);
    expect(form({ menu: '5', text: '   ' })).toEqual([{ kind: 'unsupported', what: 'empty' }]);
    expect(form({ menu: '5' })).toEqual([{ kind: 'unsupported', what: 'empty' }]);
    expect(form({ option: 'mua_ban' })).toEqual([{ kind: 'stale-choice' }]);
    expect(form({ menu: '-1', option: 'mua_ban' })).toEqual([{ kind: 'stale-choice' }]);
    expect(form({ menu: '5', option: '<b>' })).toEqual([{ kind: 'stale-choice' }]);
    const [photo, large] = form({ menu: '7', upload: '1' }, [
      { size: 10 },
      { size: MAX_PHOTO_BYTES, truncated: true },
    ]);
    expect(photo).toMatchObject({ kind: 'photo', menu: 7, source: { declaredBytes: 10 } });
    expect(large).toMatchObject({ kind: 'photo', source: { declaredBytes: MAX_PHOTO_BYTES + 1 } });
  });
});

describe('pages', () => {
  it('escape every text of the conversation', () => {
    expect(String(html`<p>${'<script>alert(1)</script> & "x"'}</p>`)).toBe(
      '<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;</p>',
    );
    const page = stepPage(
      {
        replies: [
          {
            kind: 'menu',
            text: 'Vui lòng xem lại:\n• Mô tả: <img src=x onerror=alert(1)>',
            seq: 3,
            options: [],
          },
        ],
        context: { step: 'summary', photoCount: 0, menu: { seq: 3, options: ['send'], labels: ['Gửi'] } },
      },
      'token',
    );
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('<li>Mô tả: &lt;img');
  });

  it('say the web’s words for the lines that name chat commands', () => {
    expect(WEB_CANCELLED).not.toMatch(/\/start/);
    expect(webWording(`${TEXT.staleButton}\n${TEXT.cancelled}`)).toBe(
      `${TEXT.staleButton}\n${WEB_CANCELLED}`,
    );
    expect(webWording(TEXT.askConsent)).toContain('tra cứu bằng mã tin báo');
  });
});
