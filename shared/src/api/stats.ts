import { z } from 'zod';
import { ProvinceCodeSchema, TipCategorySchema, TipStatusSchema } from '../tips/schemas';
import { TipOutcomeSchema } from './tips';

/** Statistics from clear fields and routing records only: nothing here is ever decrypted. */
export const StatsQuerySchema = z
  .object({
    /** Received at or after (ISO 8601); default: 12 months ago. */
    from: z.iso.datetime({ offset: true }).optional(),
    /** Received before (ISO 8601); default: now. */
    to: z.iso.datetime({ offset: true }).optional(),
    provinceCode: ProvinceCodeSchema.optional(),
  })
  .strict();
export type StatsQuery = z.infer<typeof StatsQuerySchema>;

const countRow = <T extends z.ZodType>(key: T) => z.object({ key, count: z.number().int() });

export const StatsResponseSchema = z.object({
  ok: z.literal(true),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  provinceCode: z.string().nullable(),
  total: z.number().int(),
  byCommune: z.array(
    z.object({
      communeCode: z.string().nullable(),
      communeName: z.string().nullable(),
      count: z.number().int(),
    }),
  ),
  byCategory: z.array(countRow(TipCategorySchema)),
  byStatus: z.array(countRow(TipStatusSchema)),
  /** Month in Vietnam time, YYYY-MM. */
  byMonth: z.array(countRow(z.string())),
  /** Outcomes reported by units (one tip routed to two units can report two). */
  outcomes: z.record(TipOutcomeSchema, z.number().int()),
  overdue: z.number().int(),
  /** Hours from receipt to the first routing; null when nothing was routed. */
  medianHoursToRoute: z.number().nullable(),
  /** Hours from routing to the unit's acknowledgement. */
  medianHoursToAcknowledge: z.number().nullable(),
});
export type StatsResponse = z.infer<typeof StatsResponseSchema>;
