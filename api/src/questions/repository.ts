import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../platform/db';
import { tipAnswers, tipQuestions, users } from '../platform/schema';

/** A tip's questions with their answers (still sealed) and who asked, oldest first. */
export function questionsOf(db: DbOrTx, tipId: string) {
  return db
    .select({
      id: tipQuestions.id,
      tipId: tipQuestions.tipId,
      askedBy: tipQuestions.askedBy,
      askedByName: users.displayName,
      askedByRole: users.role,
      askedAt: tipQuestions.askedAt,
      envelope: tipQuestions.envelope,
      withdrawnAt: tipQuestions.withdrawnAt,
      answeredAt: tipQuestions.answeredAt,
      answerId: tipAnswers.id,
      answerAnsweredAt: tipAnswers.answeredAt,
      answerEnvelope: tipAnswers.envelope,
      answerReadAt: tipAnswers.readAt,
    })
    .from(tipQuestions)
    .leftJoin(users, eq(users.id, tipQuestions.askedBy))
    .leftJoin(tipAnswers, eq(tipAnswers.questionId, tipQuestions.id))
    .where(eq(tipQuestions.tipId, tipId))
    .orderBy(asc(tipQuestions.askedAt), asc(tipQuestions.id));
}
export type QuestionRow = Awaited<ReturnType<typeof questionsOf>>[number];

/** Questions neither answered nor withdrawn: what the resident sees and may answer. */
export function openQuestionsOf(db: DbOrTx, tipId: string) {
  return db
    .select({
      id: tipQuestions.id,
      tipId: tipQuestions.tipId,
      askedAt: tipQuestions.askedAt,
      envelope: tipQuestions.envelope,
    })
    .from(tipQuestions)
    .where(
      and(eq(tipQuestions.tipId, tipId), isNull(tipQuestions.withdrawnAt), isNull(tipQuestions.answeredAt)),
    )
    .orderBy(asc(tipQuestions.askedAt), asc(tipQuestions.id));
}

export async function countOpenQuestions(db: DbOrTx, tipId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(tipQuestions)
    .where(
      and(eq(tipQuestions.tipId, tipId), isNull(tipQuestions.withdrawnAt), isNull(tipQuestions.answeredAt)),
    );
  return Number(row?.n ?? 0);
}

/** Marks the tip's unread answers read (the badge goes away once a staff member opened them). */
export async function markAnswersRead(db: DbOrTx, tipId: string, at: Date): Promise<string[]> {
  const rows = await db
    .update(tipAnswers)
    .set({ readAt: at })
    .where(and(eq(tipAnswers.tipId, tipId), isNull(tipAnswers.readAt)))
    .returning({ id: tipAnswers.id });
  return rows.map((row) => row.id);
}

/** Unread answers per tip, for the queue's and the inbox's badge. */
export async function unreadAnswerCounts(db: Db, tipIds: string[]): Promise<Map<string, number>> {
  if (tipIds.length === 0) return new Map();
  const rows = await db
    .select({ tipId: tipAnswers.tipId, n: sql<number>`count(*)::int` })
    .from(tipAnswers)
    .where(and(inArray(tipAnswers.tipId, tipIds), isNull(tipAnswers.readAt)))
    .groupBy(tipAnswers.tipId);
  return new Map(rows.map((row) => [row.tipId, Number(row.n)]));
}
