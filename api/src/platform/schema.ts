import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';

/** bytea as Uint8Array on both engines (node-postgres hands back Buffer, PGlite Uint8Array). */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  fromDriver: (value) => new Uint8Array(value),
});

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

/** Vietnam's provinces (level 'province', 2-digit code) and communes (5-digit code), 2025 structure. */
export const adminUnits = pgTable(
  'admin_units',
  {
    code: varchar('code', { length: 5 }).primaryKey(),
    level: text('level', { enum: ['province', 'commune'] }).notNull(),
    name: text('name').notNull(),
    unitType: text('unit_type').notNull(),
    parentCode: varchar('parent_code', { length: 5 }),
    /** Folded name (no marks, đ→d, no spaces) for accent-insensitive search. */
    searchKey: text('search_key').notNull(),
  },
  (table) => [index('admin_units_parent_idx').on(table.parentCode)],
);

/** Police units that receive cases: commune police, border guard stations, specialised units. */
export const units = pgTable('units', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  kind: text('kind', { enum: ['commune_police', 'border_guard', 'specialised'] }).notNull(),
  provinceCode: varchar('province_code', { length: 2 }).references(() => adminUnits.code),
  /** Inactive units receive no new routes. */
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
});

/**
 * Where "a case arrived" goes for a unit (no tip content): a channel and an address on it — a
 * Telegram group chat id today, never a resident's chat. Another channel is one more value here.
 */
export const unitNotificationTargets = pgTable(
  'unit_notification_targets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'cascade' }),
    channel: text('channel', { enum: ['telegram'] }).notNull(),
    address: text('address').notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    unique('unit_notification_targets_unit_channel_address_key').on(
      table.unitId,
      table.channel,
      table.address,
    ),
    check('unit_notification_targets_channel_check', sql`${table.channel} IN ('telegram')`),
  ],
);

export const unitCommunes = pgTable(
  'unit_communes',
  {
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'cascade' }),
    communeCode: varchar('commune_code', { length: 5 })
      .notNull()
      .references(() => adminUnits.code),
  },
  (table) => [
    primaryKey({ columns: [table.unitId, table.communeCode] }),
    index('unit_communes_commune_idx').on(table.communeCode),
  ],
);

/**
 * One row per tip. The content lives only in `envelope` (ciphertext); the other columns
 * are the few clear fields routing, sorting and statistics need.
 */
export const tips = pgTable(
  'tips',
  {
    id: uuid('id').primaryKey(),
    receiptCode: text('receipt_code').notNull().unique(),
    status: text('status').notNull().default('new'),
    category: text('category').notNull(),
    provinceCode: varchar('province_code', { length: 2 })
      .notNull()
      .references(() => adminUnits.code),
    /** Null when the resident did not remember the commune ("không nhớ chính xác địa điểm"). */
    communeCode: varchar('commune_code', { length: 5 }).references(() => adminUnits.code),
    venueType: text('venue_type').notNull(),
    observed: text('observed').notNull(),
    channel: text('channel').notNull(),
    /** 2 = high (happening now, near a school, border area), 1 = normal. */
    priority: smallint('priority').notNull().default(1),
    submittedAt: timestamp('submitted_at', { withTimezone: true, mode: 'date' }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** A crime report must be settled within 20 days of receipt (extendable). */
    deadlineAt: timestamp('deadline_at', { withTimezone: true, mode: 'date' }).notNull(),
    envelope: bytea('envelope').notNull(),
    /** The resident's chat id sealed to the bot's relay key; null without follow-up consent. */
    replyToken: bytea('reply_token'),
    triagedAt: timestamp('triaged_at', { withTimezone: true, mode: 'date' }),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** Optimistic concurrency: every state change bumps it. */
    version: integer('version').notNull().default(0),
    /** Why it is in its status: the reject reason (spam, false, out_of_scope, insufficient). */
    statusReason: text('status_reason'),
    /** For status 'duplicate': the tip it was merged into. */
    duplicateOf: uuid('duplicate_of').references((): AnyPgColumn => tips.id),
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
      .where(sql`${table.status} IN ('new', 'in_review', 'validated', 'routed', 'acknowledged')`),
    index('tips_open_deadline_idx')
      .on(table.deadlineAt, table.id)
      .where(sql`${table.status} IN ('new', 'in_review', 'validated', 'routed', 'acknowledged')`),
    // Scanned backwards for the newest first (ORDER BY received_at DESC, id DESC).
    index('tips_received_id_idx').on(table.receivedAt, table.id),
    index('tips_category_received_idx').on(table.category, table.receivedAt),
    // Province-level moderators' tab counts: an index-only scan instead of visiting every row.
    index('tips_province_status_idx').on(table.provinceCode, table.status),
  ],
);

/** Append-only, hash-chained: each event carries the hash of the one before it. */
export const auditEvents = pgTable(
  'audit_events',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    id: uuid('id').notNull().unique(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull(),
    actorType: text('actor_type', { enum: ['system', 'user', 'resident'] }).notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    prevHash: varchar('prev_hash', { length: 64 }).notNull(),
    hash: varchar('hash', { length: 64 }).notNull(),
  },
  (table) => [index('audit_events_subject_idx').on(table.subjectType, table.subjectId, table.seq)],
);

export const STAFF_ROLES = ['admin', 'moderator', 'unit_officer'] as const;

/**
 * Staff accounts. A unit officer belongs to exactly one unit; admins and moderators to none.
 * A moderator may be limited to one province.
 * The TOTP secret is stored only encrypted (nonce || XChaCha20-Poly1305 ciphertext).
 */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Lower-case login name; unique. */
    username: text('username').notNull().unique(),
    displayName: text('display_name').notNull(),
    role: text('role', { enum: STAFF_ROLES }).notNull(),
    unitId: uuid('unit_id').references(() => units.id),
    /** Moderators only: the one province whose tips they see; null = nationwide. */
    provinceCode: varchar('province_code', { length: 2 }).references(() => adminUnits.code),
    /** argon2id string from crypto_pwhash_str (algorithm, cost and salt included). */
    passwordHash: text('password_hash').notNull(),
    totpSecret: bytea('totp_secret'),
    totpEnrolledAt: timestamp('totp_enrolled_at', { withTimezone: true, mode: 'date' }),
    /** Highest TOTP time step accepted so far: a code can be used once. */
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    /** Failed logins from all addresses since failed_logins_since (a 15-minute window). */
    failedLogins: integer('failed_logins').notNull().default(0),
    failedLoginsSince: timestamp('failed_logins_since', { withTimezone: true, mode: 'date' }),
    /** Account-wide lock after many failures from everywhere (distributed guessing). */
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
    /** Set with a generated (temporary, one-time) password: every route but me/password/logout answers 403. */
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    disabledAt: timestamp('disabled_at', { withTimezone: true, mode: 'date' }),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    check(
      'users_unit_officer_has_one_unit',
      sql`(${table.role} = 'unit_officer') = (${table.unitId} IS NOT NULL)`,
    ),
    // Admins are always nationwide and unit officers are scoped by their unit instead.
    check(
      'users_province_only_for_moderators',
      sql`${table.provinceCode} IS NULL OR ${table.role} = 'moderator'`,
    ),
    index('users_unit_idx').on(table.unitId),
  ],
);

/** Server-side sessions. The cookie holds a random token; only its SHA-256 is stored. */
export const sessions = pgTable(
  'sessions',
  {
    id: varchar('id', { length: 64 }).primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Synchronizer token the client echoes in X-CSRF-Token. */
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    idleExpiresAt: timestamp('idle_expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    absoluteExpiresAt: timestamp('absolute_expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [index('sessions_user_idx').on(table.userId)],
);

/**
 * The step between a correct password and the second factor: a short-lived random token
 * (stored as SHA-256) bound to one user, consumed by a successful TOTP check or enrolment.
 */
export const loginChallenges = pgTable(
  'login_challenges',
  {
    id: varchar('id', { length: 64 }).primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: ['totp', 'enroll'] }).notNull(),
    /** For enrolment: the new secret, encrypted like users.totp_secret, until the first code proves it. */
    pendingTotpSecret: bytea('pending_totp_secret'),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [index('login_challenges_user_idx').on(table.userId)],
);

/**
 * Consecutive failed logins of one account from one client address (SHA-256 of the IP): a
 * guesser elsewhere locks only their own pair, never the legitimate user's.
 */
export const loginFailures = pgTable(
  'login_failures',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    clientKey: varchar('client_key', { length: 64 }).notNull(),
    failures: integer('failures').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
    lastFailedAt: timestamp('last_failed_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.clientKey] })],
);

// ---------------------------------------------------------------- tips workflow: routing, notes, deadlines

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
    outcome: text('outcome', {
      enum: ['verified_true', 'verified_false', 'case_opened', 'arrests', 'hot_spot_cleared'],
    }),
    /** The officer's note on the outcome, sealed to the org key like the tip (it may quote it). */
    outcomeNote: bytea('outcome_note'),
    outcomeAt: timestamp('outcome_at', { withTimezone: true, mode: 'date' }),
    outcomeBy: uuid('outcome_by'),
  },
  (table) => [
    primaryKey({ columns: [table.tipId, table.unitId] }),
    index('tip_routes_unit_idx').on(table.unitId, table.tipId),
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

/** Rules that propose units beyond the commune's own police: null conditions match anything. */
export const routingRules = pgTable(
  'routing_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'cascade' }),
    enabled: boolean('enabled').notNull().default(true),
    provinceCode: varchar('province_code', { length: 2 }).references(() => adminUnits.code),
    communeCode: varchar('commune_code', { length: 5 }).references(() => adminUnits.code),
    category: text('category'),
    venueType: text('venue_type'),
    borderAreaOnly: boolean('border_area_only').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [index('routing_rules_unit_idx').on(table.unitId)],
);

/** Communes on the border, set by admins: their tips are high priority and match border rules. */
export const borderCommunes = pgTable('border_communes', {
  communeCode: varchar('commune_code', { length: 5 })
    .primaryKey()
    .references(() => adminUnits.code),
  addedAt: createdAt(),
  addedBy: uuid('added_by'),
});
