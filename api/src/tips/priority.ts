import type { ObservedWhen, VenueType } from '@tinbao/shared';

export const PRIORITY = { normal: 1, high: 2 } as const;

/**
 * High when it is happening now, near a school, or in a border area (the resident said so,
 * or the commune is one admins marked as a border commune).
 */
export function priorityOf(
  tip: { observed: ObservedWhen | string; venueType: VenueType | string },
  context: { borderCommune?: boolean } = {},
): number {
  if (tip.observed === 'dang_dien_ra') return PRIORITY.high;
  if (tip.venueType === 'truong_hoc' || tip.venueType === 'khu_vuc_bien_gioi') return PRIORITY.high;
  if (context.borderCommune) return PRIORITY.high;
  return PRIORITY.normal;
}

export const SETTLEMENT_DAYS = 20;

export function deadlineFrom(receivedAt: Date, days = SETTLEMENT_DAYS): Date {
  return new Date(receivedAt.getTime() + days * 24 * 3600 * 1000);
}
