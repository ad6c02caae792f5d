import {
  ChannelSchema,
  ObservedWhenSchema,
  TipCategorySchema,
  TipStatusSchema,
  VenueTypeSchema,
} from '@tinbao/shared';
import { RejectReasonSchema, TipOutcomeSchema } from '@tinbao/shared/api/tips';
import { OPEN_STATUSES } from '@tinbao/shared/permissions/index';
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { adminUnits } from '../admin-units/schema';
import { bytea, createdAt, enumCheck, enumValues, inList } from '../platform/columns';
import { units } from '../units/schema';

/** The partial queue indexes cover the open statuses (the same list the overdue filter uses). */
const openStatusCondition = (status: AnyPgColumn) => inList(status, OPEN_STATUSES);

/**
 * One row per tip. The content lives only in `envelope` (ciphertext); the other columns
 * are the few clear fields routing, sorting and statistics need.
 */
export const tips = pgTable(
  'tips',
  {
    id: uuid('id').primaryKey(),
    receiptCode: text('receipt_code').notNull().unique(),
    status: text('status', { enum: enumValues(TipStatusSchema.options) })
      .notNull()
      .default('new'),
    category: text('category', { enum: enumValues(TipCategorySchema.options) }).notNull(),
    provinceCode: varchar('province_code', { length: 2 })
      .notNull()
      .references(() => adminUnits.code),
    /** Null when the resident did not remember the commune ("không nhớ chính xác địa điểm"). */
    communeCode: varchar('commune_code', { length: 5 }).references(() => adminUnits.code),
    venueType: text('venue_type', { enum: enumValues(VenueTypeSchema.options) }).notNull(),
    observed: text('observed', { enum: enumValues(ObservedWhenSchema.options) }).notNull(),
    channel: text('channel', { enum: enumValues(ChannelSchema.options) }).notNull(),
    /** 2 = high (happening now, near a school, border area), 1 = normal. */
    priority: smallint('priority').notNull().default(1),
    submittedAt: timestamp('submitted_at', { withTimezone: true, mode: 'date' }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** A crime report must be settled within 20 days of receipt (extendable). */
    deadlineAt: timestamp('deadline_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** The sealed content (description, pin, photos); null once purged (tips_envelope_until_purged_check). */
    envelope: bytea('envelope'),
    /** The resident's chat id sealed to the bot's relay key; null without follow-up consent. */
    replyToken: bytea('reply_token'),
    triagedAt: timestamp('triaged_at', { withTimezone: true, mode: 'date' }),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** Optimistic concurrency: every state change bumps it. */
    version: integer('version').notNull().default(0),
    /** Why it is in its status: the reject reason (spam, false, out_of_scope, insufficient). */
    statusReason: text('status_reason', { enum: enumValues(RejectReasonSchema.options) }),
    /** For status 'duplicate': the tip it was merged into. */
    duplicateOf: uuid('duplicate_of').references((): AnyPgColumn => tips.id),
    /**
     * When the tip left the workflow (rejected, marked duplicate or closed; closing a rejected
     * tip sets it again): the retention clock starts here. Null while the tip is open.
     */
    closedAt: timestamp('closed_at', { withTimezone: true, mode: 'date' }),
    /** When the retention purge deleted its content; the clear fields stay for the statistics. */
    purgedAt: timestamp('purged_at', { withTimezone: true, mode: 'date' }),
    /** A legal hold (an admin's, with a case reference): while set, the purge never touches the tip. */
    legalHoldAt: timestamp('legal_hold_at', { withTimezone: true, mode: 'date' }),
    legalHoldBy: uuid('legal_hold_by'),
    legalHoldReason: text('legal_hold_reason'),
  },
  (table) => [
    index('tips_queue_idx').on(table.status, table.priority.desc(), table.deadlineAt, table.id),
    index('tips_commune_idx').on(table.communeCode, table.receivedAt),
    index('tips_province_idx').on(table.provinceCode, table.receivedAt),
    index('tips_received_idx').on(table.receivedAt),
    index('tips_deadline_idx').on(table.deadlineAt, table.id),
    index('tips_priority_deadline_idx').on(table.priority.desc(), table.deadlineAt, table.id),
    index('tips_duplicate_of_idx').on(table.duplicateOf),
    // The working queue (open tips) sorted by priority or deadline, whatever subset of open statuses is asked for.
    index('tips_open_queue_idx')
      .on(table.priority.desc(), table.deadlineAt, table.id)
      .where(openStatusCondition(table.status)),
    index('tips_open_deadline_idx').on(table.deadlineAt, table.id).where(openStatusCondition(table.status)),
    // Scanned backwards for the newest first (ORDER BY received_at DESC, id DESC).
    index('tips_received_id_idx').on(table.receivedAt, table.id),
    index('tips_category_received_idx').on(table.category, table.receivedAt),
    // Province-level moderators' tab counts: an index-only scan instead of visiting every row.
    index('tips_province_status_idx').on(table.provinceCode, table.status),
    enumCheck('tips_status_check', table.status, TipStatusSchema.options),
    enumCheck('tips_category_check', table.category, TipCategorySchema.options),
    enumCheck('tips_venue_type_check', table.venueType, VenueTypeSchema.options),
    enumCheck('tips_observed_check', table.observed, ObservedWhenSchema.options),
    enumCheck('tips_channel_check', table.channel, ChannelSchema.options),
    enumCheck('tips_status_reason_check', table.statusReason, RejectReasonSchema.options),
    // The retention purge: candidates are scanned by closing time among the tips not purged yet.
    index('tips_retention_idx')
      .on(table.closedAt, table.id)
      .where(sql`${table.purgedAt} IS NULL AND ${table.closedAt} IS NOT NULL`),
    // A tip has its envelope exactly until it is purged.
    check(
      'tips_envelope_until_purged_check',
      sql`(${table.envelope} IS NULL) = (${table.purgedAt} IS NOT NULL)`,
    ),
    // A hold is the three columns together; a held tip cannot be purged, whatever the code does.
    check(
      'tips_legal_hold_check',
      sql`(${table.legalHoldAt} IS NULL) = (${table.legalHoldBy} IS NULL) AND (${table.legalHoldAt} IS NULL) = (${table.legalHoldReason} IS NULL)`,
    ),
    check('tips_purged_not_held_check', sql`${table.purgedAt} IS NULL OR ${table.legalHoldAt} IS NULL`),
  ],
);

// ---------------------------------------------------------------- workflow: routes, notes, deadlines

/** A tip routed to a unit: grants that unit's officers access to that tip only. */
export const tipRoutes = pgTable(
  'tip_routes',
  {
    tipId: uuid('tip_id')
      .notNull()
      .references(() => tips.id, { onDelete: 'cascade' }),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    routedAt: timestamp('routed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    routedBy: uuid('routed_by'),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true, mode: 'date' }),
    acknowledgedBy: uuid('acknowledged_by'),
    outcome: text('outcome', { enum: enumValues(TipOutcomeSchema.options) }),
    /** The officer's note on the outcome, sealed to the org key like the tip (it may quote it). */
    outcomeNote: bytea('outcome_note'),
    outcomeAt: timestamp('outcome_at', { withTimezone: true, mode: 'date' }),
    outcomeBy: uuid('outcome_by'),
  },
  (table) => [
    primaryKey({ columns: [table.tipId, table.unitId] }),
    index('tip_routes_unit_idx').on(table.unitId, table.tipId),
    enumCheck('tip_routes_outcome_check', table.outcome, TipOutcomeSchema.options),
  ],
);

/** Staff notes on a tip; the text is sealed to the org key (notes may quote the tip). */
export const tipNotes = pgTable(
  'tip_notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tipId: uuid('tip_id')
      .notNull()
      .references(() => tips.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id').notNull(),
    /**
     * The unit whose officers may read the note: the author's unit when an officer wrote it,
     * fixed at writing. Null: an internal note of the moderators and admins.
     */
    unitId: uuid('unit_id').references(() => units.id),
    createdAt: createdAt(),
    body: bytea('body').notNull(),
  },
  (table) => [index('tip_notes_tip_idx').on(table.tipId, table.createdAt)],
);

/** The history of a tip's deadline: every extension with its reason. */
export const tipDeadlineExtensions = pgTable(
  'tip_deadline_extensions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tipId: uuid('tip_id')
      .notNull()
      .references(() => tips.id, { onDelete: 'cascade' }),
    previousDeadlineAt: timestamp('previous_deadline_at', { withTimezone: true, mode: 'date' }).notNull(),
    newDeadlineAt: timestamp('new_deadline_at', { withTimezone: true, mode: 'date' }).notNull(),
    days: integer('days').notNull(),
    reason: text('reason').notNull(),
    extendedBy: uuid('extended_by').notNull(),
    extendedAt: timestamp('extended_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [index('tip_deadline_extensions_tip_idx').on(table.tipId, table.extendedAt)],
);
