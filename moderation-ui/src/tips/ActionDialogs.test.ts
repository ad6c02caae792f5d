import { describe, expect, it } from 'vitest';
import { normalizeReceiptInput } from './ActionDialogs';

describe('the mark-duplicate dialog', () => {
  it('reads a receipt code the way people type it', () => {
    expect(normalizeReceiptInput('tb7k4p9qrm2x')).toBe('TB-7K4P9-QRM2X');
    expect(normalizeReceiptInput(' TB-7K4P9-QRM2X ')).toBe('TB-7K4P9-QRM2X');
    expect(normalizeReceiptInput('7k4p9 qrm2x')).toBe('TB-7K4P9-QRM2X');
    expect(normalizeReceiptInput('TB-7K4P9')).toBeUndefined();
    expect(normalizeReceiptInput('TB-7K4P9-QRM2U')).toBeUndefined();
  });
});
