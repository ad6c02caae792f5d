import type { TimelineEvent } from '@tinbao/shared/api/tips';
import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../api/client';
import { vi } from '../i18n/vi';
import { startOfLocalDay } from '../stats/days';
import { normalizeReceiptInput } from '../tips/ActionDialogs';
import { groupViews } from '../tips/TipTimeline';
import { errorMessage } from './ui';

const apiError = (status: number, code: string, message: string, body: Record<string, unknown> = {}) =>
  new ApiError(status, code, message, { ok: false, error: code, message, ...body });

describe('errorMessage: by code, never the server text', () => {
  it('names a taken username or unit code, and keeps the tip-conflict text to tip actions', () => {
    expect(errorMessage(vi, apiError(409, 'username_taken', 'that username is already in use'), 'user')).toBe(
      vi.errors.codes.username_taken,
    );
    expect(errorMessage(vi, apiError(409, 'unit_code_taken', 'a unit with code X exists'), 'unit')).toBe(
      vi.errors.codes.unit_code_taken,
    );
    expect(errorMessage(vi, apiError(409, 'something_new', 'x'), 'user')).toBe(vi.errors.conflictGeneric);
    expect(errorMessage(vi, apiError(409, 'version_conflict', 'x'), 'tip')).toBe(vi.errors.conflict);
    expect(errorMessage(vi, apiError(409, 'version_conflict', 'x'))).toBe(vi.errors.conflictGeneric);
    expect(errorMessage(vi, apiError(500, 'internal_error', 'x'), 'rule')).toBe(vi.errors.fallback.rule);
    expect(errorMessage(vi, new NetworkError())).toBe(vi.errors.network);
  });

  it('says which field a 400 refused, in words, from issues or from the message prefix', () => {
    const zod = 'body.username: Too small: expected string to have >=1 characters';
    const fromIssues = errorMessage(
      vi,
      apiError(400, 'invalid_request', zod, { issues: [{ path: 'body.username', message: 'Too small' }] }),
    );
    expect(fromIssues).toBe(vi.errors.invalidField('Tên đăng nhập'));
    expect(fromIssues).not.toContain('Too small');
    expect(
      errorMessage(vi, apiError(400, 'invalid_request', 'body.communeCodes.3: commune code is five digits')),
    ).toBe(vi.errors.invalidField('Xã/phường phụ trách'));
    expect(errorMessage(vi, apiError(400, 'invalid_request', 'from must be before to'))).toBe(
      vi.errors.invalid,
    );
  });

  it('tells a wrong current password apart from a missing permission', () => {
    const wrong = apiError(403, 'invalid_credentials', 'the current password is wrong');
    expect(errorMessage(vi, wrong, 'password')).toBe(vi.password.wrongCurrent);
    expect(errorMessage(vi, apiError(400, 'weak_password', 'x'), 'password')).toBe(
      vi.errors.codes.weak_password,
    );
    expect(errorMessage(vi, apiError(403, 'forbidden', 'not allowed'))).toBe(vi.errors.forbidden);
  });
});

describe('helpers', () => {
  it('reads a receipt code the way people type it', () => {
    expect(normalizeReceiptInput('tb7k4p9qrm2x')).toBe('TB-7K4P9-QRM2X');
    expect(normalizeReceiptInput(' TB-7K4P9-QRM2X ')).toBe('TB-7K4P9-QRM2X');
    expect(normalizeReceiptInput('7k4p9 qrm2x')).toBe('TB-7K4P9-QRM2X');
    expect(normalizeReceiptInput('TB-7K4P9')).toBeUndefined();
    expect(normalizeReceiptInput('TB-7K4P9-QRM2U')).toBeUndefined();
  });

  it('the day after a date starts 24 hours later in a time zone without DST', () => {
    const from = new Date(startOfLocalDay('2026-11-23')).getTime();
    expect(new Date(startOfLocalDay('2026-11-23', 1)).getTime() - from).toBe(86_400_000);
    expect(new Date(startOfLocalDay('2026-11-30', 1)).getDate()).toBe(1);
  });

  it('folds consecutive views into one entry between status changes', () => {
    const event = (seq: number, action: string): TimelineEvent =>
      ({
        seq,
        action,
        actorType: 'user',
        actorId: null,
        actorName: seq % 2 ? 'Nguyễn A' : 'Trần B',
        occurredAt: new Date(seq * 1000).toISOString(),
        details: {},
      }) as unknown as TimelineEvent;
    const entries = groupViews([
      event(1, 'tip.received'),
      event(2, 'tip.decrypted'),
      event(3, 'tip.photo_decrypted'),
      event(4, 'tip.decrypted'),
      event(5, 'tip.start_review'),
      event(6, 'tip.notes_decrypted'),
    ]);
    expect(
      entries.map((entry) => (entry.kind === 'views' ? entry.events.length : entry.event.action)),
    ).toEqual(['tip.received', 3, 'tip.start_review', 1]);
  });
});
