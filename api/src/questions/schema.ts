import { sql } from 'drizzle-orm';
import { index, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bytea } from '../platform/columns';
import { tips } from '../tips/schema';

/**
 * A staff question to the resident of a tip. Its own table, never a note with a flag: what is
 * written here is meant for the resident from the start, and nothing converts one into the
 * other. The text lives only in `envelope` (sealed to the organisation key, bound to the
 * question and tip ids); the rest is clear metadata.
 */
export const tipQuestions = pgTable(
  'tip_questions',
  {
    id: uuid('id').primaryKey(),
    tipId: uuid('tip_id')
      .notNull()
      .references(() => tips.id, { onDelete: 'cascade' }),
    askedBy: uuid('asked_by').notNull(),
    askedAt: timestamp('asked_at', { withTimezone: true, mode: 'date' }).notNull(),
    envelope: bytea('envelope').notNull(),
    /** Withdrawn while unanswered: the resident no longer sees it, an answer to it is refused. */
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true, mode: 'date' }),
    withdrawnBy: uuid('withdrawn_by'),
    /** Set with the answer, in the same transaction: a question is answered once. */
    answeredAt: timestamp('answered_at', { withTimezone: true, mode: 'date' }),
  },
  (table) => [index('tip_questions_tip_idx').on(table.tipId, table.askedAt)],
);

/** A resident's answer: sealed in the gateway, bound to its answer, question and tip ids and time. */
export const tipAnswers = pgTable(
  'tip_answers',
  {
    /** Chosen by the gateway: a repeated delivery of the same answer stores nothing twice. */
    id: uuid('id').primaryKey(),
    questionId: uuid('question_id')
      .notNull()
      .unique()
      .references(() => tipQuestions.id, { onDelete: 'cascade' }),
    tipId: uuid('tip_id')
      .notNull()
      .references(() => tips.id, { onDelete: 'cascade' }),
    /** The gateway's time, bound into the envelope. */
    answeredAt: timestamp('answered_at', { withTimezone: true, mode: 'date' }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    envelope: bytea('envelope').notNull(),
    /** When staff first read it (the queue's badge counts the unread ones). */
    readAt: timestamp('read_at', { withTimezone: true, mode: 'date' }),
  },
  (table) => [index('tip_answers_unread_idx').on(table.tipId).where(sql`read_at IS NULL`)],
);
