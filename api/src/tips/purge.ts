import { and, inArray, isNotNull } from 'drizzle-orm';
import { tipDeadlineExtensions, tipNotes, tipRoutes } from '../platform/schema';
import type { PurgeStep } from '../retention/purge-steps';

/**
 * What the tips feature deletes when a tip is purged: everything staff wrote about it (notes,
 * the outcome note, the reasons given for deadline extensions), which may quote the tip. The
 * routes stay (units, times, outcomes: the statistics count them); so do the audit events.
 */
export const TIP_PURGE_STEPS: readonly PurgeStep[] = [
  {
    name: 'tip_notes',
    purge: async (tx, tipIds) =>
      (
        await tx
          .delete(tipNotes)
          .where(inArray(tipNotes.tipId, [...tipIds]))
          .returning({ id: tipNotes.id })
      ).length,
  },
  {
    name: 'tip_routes.outcome_note',
    purge: async (tx, tipIds) =>
      (
        await tx
          .update(tipRoutes)
          .set({ outcomeNote: null })
          .where(and(inArray(tipRoutes.tipId, [...tipIds]), isNotNull(tipRoutes.outcomeNote)))
          .returning({ tipId: tipRoutes.tipId })
      ).length,
  },
  {
    // The deadline itself stays on the tip, and each extension's days and dates in its audit event.
    name: 'tip_deadline_extensions',
    purge: async (tx, tipIds) =>
      (
        await tx
          .delete(tipDeadlineExtensions)
          .where(inArray(tipDeadlineExtensions.tipId, [...tipIds]))
          .returning({ id: tipDeadlineExtensions.id })
      ).length,
  },
];
