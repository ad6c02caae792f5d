import {
  CommuneCodeSchema,
  GeoPointSchema,
  ObservedWhenSchema,
  ProvinceCodeSchema,
  ReceiptCodeSchema,
  TipCategorySchema,
  VenueTypeSchema,
} from '@tinbao/shared';
import { z } from 'zod';

/** The conversation is an explicit state machine: the draft names the step it waits on. */
export const STEPS = [
  'idle',
  'category',
  'province',
  'commune',
  'venue',
  'when',
  'description',
  'photos',
  'consent',
  'summary',
  'editChoice',
] as const;
export const StepSchema = z.enum(STEPS);
export type Step = z.infer<typeof StepSchema>;

/** A re-encoded photo: its bytes wait, encrypted, under their own Redis key (see draft-store.ts). */
export const DraftPhotoSchema = z.object({
  id: z.uuid(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
export type DraftPhoto = z.infer<typeof DraftPhotoSchema>;

/**
 * The draft as stored (encrypted) in Redis. Validated when read back: a draft from an
 * older bot version or a corrupted value becomes a fresh draft, never a crash.
 */
export const DraftSchema = z.object({
  v: z.literal(1),
  step: StepSchema,
  category: TipCategorySchema.optional(),
  provinceCode: ProvinceCodeSchema.optional(),
  communeCode: CommuneCodeSchema.optional(),
  location: GeoPointSchema.optional(),
  venueType: VenueTypeSchema.optional(),
  observed: ObservedWhenSchema.optional(),
  description: z.string().optional(),
  photos: z.array(DraftPhotoSchema),
  followUpConsent: z.boolean().optional(),
  /**
   * When (Telegram's unix seconds) a too-long description was refused: Telegram splits a long
   * paste into parts sent back to back, and the rest must not pass as the whole description.
   */
  tooLongAt: z.number().int().optional(),
  /** The last message that carries the summary's Gửi/Sửa/Hủy buttons, to remove them once done. */
  summaryMessageId: z.number().int().optional(),
  /** Set by "Sửa": after the chosen step, go back to the summary. */
  editing: z.boolean().optional(),
  /** Chosen before the first submission attempt, so a retry after a failure reuses them. */
  pending: z
    .object({ tipId: z.uuid(), receiptCode: ReceiptCodeSchema, submittedAt: z.iso.datetime() })
    .optional(),
});
export type Draft = z.infer<typeof DraftSchema>;

export const emptyDraft = (): Draft => ({ v: 1, step: 'idle', photos: [] });
