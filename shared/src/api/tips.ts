import { z } from 'zod';
import { StaffRoleSchema } from '../permissions/roles';
import { toNfc } from '../text/normalize';
import {
  ChannelSchema,
  CommuneCodeSchema,
  GeoPointSchema,
  ObservedWhenSchema,
  ProvinceCodeSchema,
  ReceiptCodeSchema,
  TipCategorySchema,
  TipStatusSchema,
  VenueTypeSchema,
} from '../tips/schemas';
import { UnitKindSchema } from './units';

/**
 * Request and response shapes of the tips workflow API (/api/v1/tips…, /api/v1/receipts).
 * The API validates with these and the moderation UI types its calls with them.
 */

export const UuidParamsSchema = z.object({ id: z.uuid() });

/** Staff-written text (notes, reasons): NFC, trimmed, bounded. */
export const staffText = (max: number) =>
  z
    .string()
    .transform(toNfc)
    .pipe(z.string().trim().min(1, 'text is empty').max(max, `text is longer than ${max} characters`));

// ---------------------------------------------------------------- state machine vocabulary

export const RejectReasonSchema = z.enum(['spam', 'false', 'out_of_scope', 'insufficient']);
export type RejectReason = z.infer<typeof RejectReasonSchema>;

export const TipOutcomeSchema = z.enum([
  'verified_true',
  'verified_false',
  'case_opened',
  'arrests',
  'hot_spot_cleared',
]);
export type TipOutcome = z.infer<typeof TipOutcomeSchema>;

export const TipActionSchema = z.enum([
  'start_review',
  'validate',
  'reject',
  'mark_duplicate',
  'route',
  'acknowledge',
  'report_outcome',
  'close',
]);
export type TipAction = z.infer<typeof TipActionSchema>;

/** `version` (optional) is the tip version the client saw: a stale one answers 409 version_conflict. */
const version = z.number().int().min(0).max(2_147_483_647).optional();

export const TipTransitionRequestSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('start_review'), version }).strict(),
  z.object({ action: z.literal('validate'), version }).strict(),
  z.object({ action: z.literal('reject'), version, reason: RejectReasonSchema }).strict(),
  z.object({ action: z.literal('mark_duplicate'), version, duplicateOf: z.uuid() }).strict(),
  z
    .object({
      action: z.literal('route'),
      version,
      unitIds: z.array(z.uuid()).min(1, 'choose at least one unit').max(20),
    })
    .strict(),
  /** An officer acts for their own unit; a moderator or admin names the unit. */
  z.object({ action: z.literal('acknowledge'), version, unitId: z.uuid().optional() }).strict(),
  z
    .object({
      action: z.literal('report_outcome'),
      version,
      unitId: z.uuid().optional(),
      outcome: TipOutcomeSchema,
      note: staffText(4000).optional(),
    })
    .strict(),
  z.object({ action: z.literal('close'), version }).strict(),
]);
export type TipTransitionRequest = z.infer<typeof TipTransitionRequestSchema>;

// ---------------------------------------------------------------- list

export const TipSortSchema = z.enum(['priority', 'deadline', 'received']);
export type TipSort = z.infer<typeof TipSortSchema>;

/** `?status=new,in_review` or `?status=new&status=in_review`. */
const csvOf = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((value) => (Array.isArray(value) ? value : value.split(',')).filter((v) => v !== ''))
    .pipe(z.array(item).max(20));

const booleanQuery = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const TipListQuerySchema = z
  .object({
    status: csvOf(TipStatusSchema).optional(),
    category: csvOf(TipCategorySchema).optional(),
    provinceCode: ProvinceCodeSchema.optional(),
    communeCode: CommuneCodeSchema.optional(),
    unitId: z.uuid().optional(),
    /** One tip by its receipt code (mark-duplicate resolves the code a moderator types). */
    receiptCode: ReceiptCodeSchema.optional(),
    /** Received at or after (ISO 8601). */
    from: z.iso.datetime({ offset: true }).optional(),
    /** Received before (ISO 8601). */
    to: z.iso.datetime({ offset: true }).optional(),
    overdue: booleanQuery.optional(),
    priority: z.enum(['1', '2']).transform(Number).optional(),
    sort: TipSortSchema.default('priority'),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    /** Opaque, from the previous page's nextCursor. */
    cursor: z.string().max(300).optional(),
  })
  .strict();
export type TipListQuery = z.infer<typeof TipListQuerySchema>;
export type TipListQueryInput = z.input<typeof TipListQuerySchema>;

/**
 * Role-shaped answers: a field marked "tips.read_…" is sent only to the roles with that
 * permission of the shared model (tipFieldAccess); the others get no such key at all.
 */

export const TipRouteSchema = z.object({
  unitId: z.uuid(),
  unitCode: z.string(),
  unitName: z.string(),
  routedAt: z.iso.datetime(),
  /** User ids, tips.read_staff_names only. */
  routedBy: z.string().nullable().optional(),
  acknowledgedAt: z.iso.datetime().nullable(),
  acknowledgedBy: z.string().nullable().optional(),
  outcome: TipOutcomeSchema.nullable(),
  outcomeAt: z.iso.datetime().nullable(),
  outcomeBy: z.string().nullable().optional(),
});
export type TipRoute = z.infer<typeof TipRouteSchema>;

/** Clear fields only: what the queue shows without decrypting anything. */
export const TipSummarySchema = z.object({
  id: z.uuid(),
  receiptCode: ReceiptCodeSchema,
  status: TipStatusSchema,
  /** Why it is in its status: the reject reason. */
  statusReason: RejectReasonSchema.nullable(),
  duplicateOf: z.uuid().nullable(),
  category: TipCategorySchema,
  provinceCode: z.string(),
  provinceName: z.string().nullable(),
  /** Null: the resident did not remember the commune; the moderator finds it from the description. */
  communeCode: z.string().nullable(),
  communeName: z.string().nullable(),
  venueType: VenueTypeSchema,
  observed: ObservedWhenSchema,
  channel: ChannelSchema,
  /** 2 = high, 1 = normal. */
  priority: z.number().int(),
  submittedAt: z.iso.datetime(),
  receivedAt: z.iso.datetime(),
  deadlineAt: z.iso.datetime(),
  overdue: z.boolean(),
  followUpPossible: z.boolean(),
  /** Answers of the resident no staff member has opened yet (the queue's and the inbox's badge). */
  unreadAnswers: z.number().int().nonnegative().optional(),
  version: z.number().int(),
  routes: z.array(TipRouteSchema),
});
export type TipSummary = z.infer<typeof TipSummarySchema>;

export const TipListResponseSchema = z.object({
  ok: z.literal(true),
  items: z.array(TipSummarySchema),
  nextCursor: z.string().nullable(),
});
export type TipListResponse = z.infer<typeof TipListResponseSchema>;

export const TipCountsQuerySchema = z
  .object({
    provinceCode: ProvinceCodeSchema.optional(),
    communeCode: CommuneCodeSchema.optional(),
    unitId: z.uuid().optional(),
  })
  .strict();

export const TipCountsResponseSchema = z.object({
  ok: z.literal(true),
  byStatus: z.record(TipStatusSchema, z.number().int()),
  overdue: z.number().int(),
  total: z.number().int(),
});
export type TipCountsResponse = z.infer<typeof TipCountsResponseSchema>;

// ---------------------------------------------------------------- detail

export const TipPhotoInfoSchema = z.object({
  index: z.number().int(),
  mimeType: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  /** GET this path (same session) for the decrypted image. */
  url: z.string(),
});

/** The 0.01° grid cell (about 1 km) around the resident's pin, by its centre (coarseArea). */
export const LocationAreaSchema = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  cellDegrees: z.number().positive(),
});

/** The decrypted content, photos replaced by their metadata (each photo is fetched on its own). */
export const TipDecryptedContentSchema = z.object({
  description: z.string(),
  /** The pin (null: none shared), tips.read_exact_location only. */
  location: GeoPointSchema.nullable().optional(),
  /** Instead of the pin for everyone else (null: none shared). */
  locationArea: LocationAreaSchema.nullable().optional(),
  photos: z.array(TipPhotoInfoSchema),
  followUpConsent: z.boolean(),
  /** tips.read_reporter_pseudonym only. */
  reporterPseudonym: z.string().optional(),
});

export const DeadlineExtensionSchema = z.object({
  id: z.uuid(),
  previousDeadlineAt: z.iso.datetime(),
  newDeadlineAt: z.iso.datetime(),
  days: z.number().int(),
  reason: z.string(),
  extendedAt: z.iso.datetime(),
  /** A user id, tips.read_staff_names only. */
  extendedBy: z.string().optional(),
});
export type DeadlineExtension = z.infer<typeof DeadlineExtensionSchema>;

export const TipDetailResponseSchema = z.object({
  ok: z.literal(true),
  tip: TipSummarySchema,
  content: TipDecryptedContentSchema,
  deadlineExtensions: z.array(DeadlineExtensionSchema),
  /** Tips marked as duplicates of this one (merged into it). */
  duplicates: z.array(z.uuid()),
  /** Actions this user may take now: drives the buttons. */
  allowedActions: z.array(TipActionSchema),
});
export type TipDetailResponse = z.infer<typeof TipDetailResponseSchema>;

export const TipPhotoParamsSchema = z.object({ id: z.uuid(), index: z.coerce.number().int().min(0).max(9) });

// ---------------------------------------------------------------- actions

export const TipTransitionResponseSchema = z.object({
  ok: z.literal(true),
  tip: TipSummarySchema,
  allowedActions: z.array(TipActionSchema),
});
export type TipTransitionResponse = z.infer<typeof TipTransitionResponseSchema>;

export const TipNoteCreateSchema = z.object({ body: staffText(4000) }).strict();
export type TipNoteCreate = z.infer<typeof TipNoteCreateSchema>;

/**
 * A staff note. Notes of moderators and admins are internal (tips.read_internal_notes); an
 * officer's note is shared with the officer's unit and the moderators.
 */
export const TipNoteSchema = z.object({
  id: z.uuid(),
  /** tips.read_staff_names only. */
  authorId: z.string().optional(),
  authorName: z.string().nullable().optional(),
  /** Null when the account no longer exists. */
  authorRole: StaffRoleSchema.nullable(),
  createdAt: z.iso.datetime(),
  body: z.string(),
});
export type TipNote = z.infer<typeof TipNoteSchema>;

export const TipNoteListResponseSchema = z.object({ ok: z.literal(true), notes: z.array(TipNoteSchema) });
export type TipNoteListResponse = z.infer<typeof TipNoteListResponseSchema>;
export const TipNoteCreatedResponseSchema = z.object({ ok: z.literal(true), note: TipNoteSchema });
export type TipNoteCreatedResponse = z.infer<typeof TipNoteCreatedResponseSchema>;

export const DeadlineExtensionCreateSchema = z
  .object({
    days: z.number().int().min(1).max(60),
    reason: staffText(1000),
    version,
  })
  .strict();
export type DeadlineExtensionCreate = z.infer<typeof DeadlineExtensionCreateSchema>;

export const DeadlineExtensionResponseSchema = z.object({
  ok: z.literal(true),
  tip: TipSummarySchema,
  extension: DeadlineExtensionSchema,
});
export type DeadlineExtensionResponse = z.infer<typeof DeadlineExtensionResponseSchema>;

export const RoutingProposalSchema = z.object({
  unitId: z.uuid(),
  unitCode: z.string(),
  unitName: z.string(),
  kind: UnitKindSchema,
  /** Why: 'covers_commune' or 'rule:<rule name>'. */
  reasons: z.array(z.string()),
  alreadyRouted: z.boolean(),
});
export type RoutingProposal = z.infer<typeof RoutingProposalSchema>;

export const RoutingProposalsResponseSchema = z.object({
  ok: z.literal(true),
  borderArea: z.boolean(),
  proposals: z.array(RoutingProposalSchema),
});
export type RoutingProposalsResponse = z.infer<typeof RoutingProposalsResponseSchema>;

/** Who an audit event is by: a staff user, the system (workers, the CLI) or a resident (intake). */
export const AuditActorTypeSchema = z.enum(['system', 'user', 'resident']);
export type AuditActorType = z.infer<typeof AuditActorTypeSchema>;

export const TimelineEventSchema = z.object({
  seq: z.number().int(),
  occurredAt: z.iso.datetime(),
  actorType: AuditActorTypeSchema,
  /** tips.read_staff_names only (a system or resident actor has neither). */
  actorId: z.string().nullable().optional(),
  actorName: z.string().nullable().optional(),
  /** The staff member's role when they acted; null for the system and the resident. */
  actorRole: StaffRoleSchema.nullable(),
  action: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type TimelineEvent = z.infer<typeof TimelineEventSchema>;

export const TimelineResponseSchema = z.object({ ok: z.literal(true), events: z.array(TimelineEventSchema) });
export type TimelineResponse = z.infer<typeof TimelineResponseSchema>;

// ---------------------------------------------------------------- public receipt status

export const ReceiptParamsSchema = z.object({ code: ReceiptCodeSchema });
export const ReceiptStatusSchema = z.enum(['received', 'in_progress', 'forwarded', 'closed']);
export type ReceiptStatus = z.infer<typeof ReceiptStatusSchema>;
/** An open question as the gateway shows it to the resident who holds the receipt. */
export const ReceiptQuestionSchema = z.object({
  id: z.uuid(),
  text: z.string().min(1).max(500),
  askedAt: z.iso.datetime(),
});
export type ReceiptQuestion = z.infer<typeof ReceiptQuestionSchema>;

/**
 * The answer of the receipt look-up. `tipId` and `questions` go to the gateway only (it presents
 * TINBAO_BOT_API_TOKEN): it shows the open questions to the resident and binds an answer to the
 * tip and question ids. Anyone else learns the coarse status only.
 */
export const ReceiptStatusResponseSchema = z.object({
  ok: z.literal(true),
  status: ReceiptStatusSchema,
  tipId: z.uuid().optional(),
  questions: z.array(ReceiptQuestionSchema).optional(),
});
export type ReceiptStatusResponse = z.infer<typeof ReceiptStatusResponseSchema>;
