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
 * A question asked on top of the current step, answered before the step goes on: "really
 * cancel?", "is this your commune?", "add this text to the description?".
 */
export const AsideSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cancel') }),
  z.object({ kind: z.literal('located'), provinceCode: ProvinceCodeSchema, communeCode: CommuneCodeSchema }),
  z.object({ kind: z.literal('add-text'), text: z.string() }),
  z.object({ kind: z.literal('candidate-description'), text: z.string() }),
  /** /trangthai found open questions: which one to answer (or later). */
  z.object({
    kind: z.literal('answer-offer'),
    receiptCode: ReceiptCodeSchema,
    tipId: z.uuid(),
    questions: z
      .array(z.object({ id: z.uuid(), text: z.string() }))
      .min(1)
      .max(10),
  }),
  /**
   * Waiting for the answer to one question. `answerId` is chosen (and saved) by the engine
   * before the first attempt to send, so a retry after a failure sends the same answer.
   */
  z.object({
    kind: z.literal('answer'),
    receiptCode: ReceiptCodeSchema,
    tipId: z.uuid(),
    questionId: z.uuid(),
    questionText: z.string(),
    answerId: z.uuid().optional(),
  }),
]);
export type Aside = z.infer<typeof AsideSchema>;

/** The menu the resident was last shown: answers to any other menu are stale. */
export const DraftMenuSchema = z.object({
  seq: z.number().int().nonnegative(),
  options: z.array(z.string()),
  labels: z.array(z.string()),
  /** The channel's reference to the message that carries it (Telegram: its buttons can be removed). */
  messageRef: z.string().optional(),
});
export type DraftMenu = z.infer<typeof DraftMenuSchema>;

/**
 * The draft as stored (encrypted) in Redis. Validated when read back: a draft from an
 * older bot version or a corrupted value becomes a fresh draft, never a crash.
 */
export const DraftSchema = z.object({
  v: z.literal(2),
  step: StepSchema,
  category: TipCategorySchema.optional(),
  provinceCode: ProvinceCodeSchema.optional(),
  communeCode: CommuneCodeSchema.optional(),
  /** "Không nhớ chính xác địa điểm": the tip carries the province only and must describe the place. */
  communeUnknown: z.boolean().optional(),
  location: GeoPointSchema.optional(),
  venueType: VenueTypeSchema.optional(),
  observed: ObservedWhenSchema.optional(),
  description: z.string().optional(),
  photos: z.array(DraftPhotoSchema),
  followUpConsent: z.boolean().optional(),
  aside: AsideSchema.optional(),
  menu: DraftMenuSchema.optional(),
  /** Counts menus shown, so each gets a new `seq`. */
  menuCount: z.number().int().nonnegative().default(0),
  /**
   * When (ms) a too-long description was refused: Telegram splits a long paste into parts
   * sent back to back, and the rest must not pass silently as the whole description.
   */
  tooLongAt: z.number().int().optional(),
  /** Set by "Sửa": after the chosen step, go back to the summary. */
  editing: z.boolean().optional(),
  /** Chosen before the first submission attempt, so a retry after a failure reuses them. */
  pending: z
    .object({ tipId: z.uuid(), receiptCode: ReceiptCodeSchema, submittedAt: z.iso.datetime() })
    .optional(),
  /**
   * The receipt of a tip already stored, kept until a reply that carries it reached the
   * resident: a failed send must never leave a resident without the code (they would send again).
   */
  receipt: ReceiptCodeSchema.optional(),
});
export type Draft = z.infer<typeof DraftSchema>;

export const emptyDraft = (): Draft => ({ v: 2, step: 'idle', photos: [], menuCount: 0 });

/** A draft with nothing in it is not stored at all. */
export const isBlank = (draft: Draft): boolean =>
  draft.step === 'idle' && !draft.receipt && !draft.aside && draft.photos.length === 0 && !draft.category;
