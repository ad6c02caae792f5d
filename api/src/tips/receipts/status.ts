import type { TipStatus } from '@tinbao/shared';
import type { ReceiptStatus } from '@tinbao/shared/api/tips';

/** What a resident may learn from a receipt code: a coarse stage, nothing about units or outcomes. */
export function receiptStatusOf(status: TipStatus): ReceiptStatus {
  switch (status) {
    case 'new':
      return 'received';
    case 'in_review':
    case 'validated':
      return 'in_progress';
    case 'routed':
    case 'acknowledged':
    case 'outcome_reported':
      return 'forwarded';
    default:
      return 'closed';
  }
}
