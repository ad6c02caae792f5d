import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../api/client';
import { vi } from '../i18n/vi';
import { errorMessage } from './ui';

const apiError = (
  status: number,
  code: ApiError['code'],
  message: string,
  body: Record<string, unknown> = {},
) => new ApiError(status, code, message, { ok: false, error: code, message, ...body });

describe('errorMessage: by code, never the server text', () => {
  it('names a taken username or unit code, and keeps the tip-conflict text to tip actions', () => {
    expect(errorMessage(vi, apiError(409, 'username_taken', 'that username is already in use'), 'user')).toBe(
      vi.errors.codes.username_taken,
    );
    expect(errorMessage(vi, apiError(409, 'unit_code_taken', 'a unit with code X exists'), 'unit')).toBe(
      vi.errors.codes.unit_code_taken,
    );
    // A code the client does not know arrives as http_<status> (see toApiError).
    expect(errorMessage(vi, apiError(409, 'http_409', 'x'), 'user')).toBe(vi.errors.conflictGeneric);
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

describe('errorMessage: every API code', () => {
  it('has a translation entry (text or status-decided) in both languages, and yields a sentence', async () => {
    const { ApiErrorCodeSchema } = await import('@tinbao/shared/api/errors');
    const { en } = await import('../i18n/en');
    for (const code of ApiErrorCodeSchema.options) {
      expect(Object.hasOwn(vi.errors.codes, code), code).toBe(true);
      expect(Object.hasOwn(en.errors.codes, code), code).toBe(true);
      const text = errorMessage(vi, apiError(409, code, 'server text'));
      expect(text).not.toBe('server text');
      expect(text.length).toBeGreaterThan(0);
    }
  });
});
