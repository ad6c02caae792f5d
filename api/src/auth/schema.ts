import { index, integer, pgTable, primaryKey, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { bytea } from '../platform/columns';
import { users } from '../users/schema';

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
