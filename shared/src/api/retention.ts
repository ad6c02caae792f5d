import { z } from 'zod';
import { ReceiptCodeSchema, TipStatusSchema } from '../tips/schemas';
import { staffText } from './tips';

/**
 * Request and response shapes of the retention feature (/api/v1/retention…, a tip's legal
 * hold): what the purge deletes next and the holds that keep a tip from it. Admins only.
 */

/**
 * Why a tip's content is purged, and so after how long: `closed` (an ordinary closed case,
 * TINBAO_RETENTION_CLOSED_DAYS), `rejected` and `duplicate` (TINBAO_RETENTION_REJECTED_DAYS).
 */
export const PurgeReasonSchema = z.enum(['closed', 'rejected', 'duplicate']);
export type PurgeReason = z.infer<typeof PurgeReasonSchema>;

export const RetentionPolicySchema = z.object({
  closedDays: z.number().int().positive(),
  rejectedDays: z.number().int().positive(),
});
export type RetentionPolicy = z.infer<typeof RetentionPolicySchema>;

/** Counts per reason (and their total). */
export const PurgeCountsSchema = z.object({
  closed: z.number().int(),
  rejected: z.number().int(),
  duplicate: z.number().int(),
  total: z.number().int(),
});
export type PurgeCounts = z.infer<typeof PurgeCountsSchema>;

export const LegalHoldSchema = z.object({
  placedAt: z.iso.datetime(),
  placedBy: z.uuid(),
  /** Null when the account no longer exists. */
  placedByName: z.string().nullable(),
  reason: z.string(),
});
export type LegalHold = z.infer<typeof LegalHoldSchema>;

/** A tip the purge will reach: when it left the workflow and when its content goes. */
export const PurgeCandidateSchema = z.object({
  tipId: z.uuid(),
  receiptCode: ReceiptCodeSchema,
  status: TipStatusSchema,
  reason: PurgeReasonSchema,
  closedAt: z.iso.datetime(),
  purgeAt: z.iso.datetime(),
});
export type PurgeCandidate = z.infer<typeof PurgeCandidateSchema>;

export const RetentionPreviewQuerySchema = z
  .object({ limit: z.coerce.number().int().min(1).max(200).default(50) })
  .strict();

export const RetentionPreviewResponseSchema = z.object({
  ok: z.literal(true),
  /** The moment the preview was computed for. */
  now: z.iso.datetime(),
  policy: RetentionPolicySchema,
  /** What the next purge run deletes (due now, not held). */
  due: PurgeCountsSchema,
  /** Tips kept from the purge by a legal hold (purged or not due yet excluded: every live hold). */
  held: z.number().int(),
  /** The next tips to be purged, soonest first (due ones first), without the held ones. */
  next: z.array(PurgeCandidateSchema),
});
export type RetentionPreviewResponse = z.infer<typeof RetentionPreviewResponseSchema>;

/** A tip under a legal hold; `purgeAt` is when it would be purged without the hold (null: still open). */
export const HeldTipSchema = z.object({
  tipId: z.uuid(),
  receiptCode: ReceiptCodeSchema,
  status: TipStatusSchema,
  closedAt: z.iso.datetime().nullable(),
  purgeAt: z.iso.datetime().nullable(),
  hold: LegalHoldSchema,
});
export type HeldTip = z.infer<typeof HeldTipSchema>;

export const LegalHoldListResponseSchema = z.object({ ok: z.literal(true), holds: z.array(HeldTipSchema) });
export type LegalHoldListResponse = z.infer<typeof LegalHoldListResponseSchema>;

/** Why the tip is held: a case or request reference, not tip content (it is kept in the clear). */
export const LegalHoldCreateSchema = z.object({ reason: staffText(500) }).strict();
export type LegalHoldCreate = z.infer<typeof LegalHoldCreateSchema>;

/** One tip's retention state (the tip page's badge; the answer to placing or releasing a hold). */
export const TipRetentionResponseSchema = z.object({
  ok: z.literal(true),
  tipId: z.uuid(),
  /** When it left the workflow (null: still open). */
  closedAt: z.iso.datetime().nullable(),
  reason: PurgeReasonSchema.nullable(),
  /** When the purge deletes its content unless held (null: still open). */
  purgeAt: z.iso.datetime().nullable(),
  purgedAt: z.iso.datetime().nullable(),
  legalHold: LegalHoldSchema.nullable(),
});
export type TipRetentionResponse = z.infer<typeof TipRetentionResponseSchema>;
