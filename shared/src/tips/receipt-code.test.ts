import { describe, expect, it } from 'vitest';
import { createReceiptCode, normalizeReceiptCode } from './receipt-code';
import { RECEIPT_CODE_PATTERN } from './schemas';

describe('receipt codes', () => {
  it('match the published pattern and differ', () => {
    const codes = new Set(Array.from({ length: 2000 }, createReceiptCode));
    expect(codes.size).toBe(2000);
    for (const code of codes) expect(code).toMatch(RECEIPT_CODE_PATTERN);
  });

  it('normalise what a resident types back', () => {
    expect(normalizeReceiptCode('tb 7k4p9 qrm2x')).toBe('TB-7K4P9-QRM2X');
    expect(normalizeReceiptCode('7K4P9QRMOX')).toBe('TB-7K4P9-QRM0X');
    expect(normalizeReceiptCode('TB-123')).toBeUndefined();
  });
});
