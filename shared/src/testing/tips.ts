import { randomUUID } from 'node:crypto';
import { createReceiptCode } from '../tips/receipt-code';
import type { TipSubmission } from '../tips/schemas';

/** A valid submission (Xã Đakrông, Quảng Trị) with overrides: the test-data factory for tips. */
export function buildTipSubmission(overrides: Partial<TipSubmission> = {}): TipSubmission {
  return {
    id: randomUUID(),
    receiptCode: createReceiptCode(),
    channel: 'telegram',
    submittedAt: new Date().toISOString(),
    category: 'mua_ban',
    provinceCode: '44',
    communeCode: '19564',
    venueType: 'karaoke',
    observed: 'hom_nay',
    description: 'Có người bán ma túy ở quán karaoke đầu ngõ, thường vào buổi tối.',
    photos: [],
    followUpConsent: false,
    reporterPseudonym: 'pseudonym-for-tests',
    ...overrides,
  };
}
