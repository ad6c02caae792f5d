import { STAFF_ROLES } from '@tinbao/shared/permissions/index';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { adminUnits } from '../admin-units/schema';
import { bytea, createdAt, enumCheck } from '../platform/columns';
import { units } from '../units/schema';

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
    enumCheck('users_role_check', table.role, STAFF_ROLES),
  ],
);
