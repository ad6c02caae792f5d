import { randomUUID } from 'node:crypto';
import { type KeyPair, openQuestion, openSealedAnswer, sealQuestion } from '@tinbao/shared';
import type { TipQuestion, TipQuestionListResponse } from '@tinbao/shared/api/questions';
import type { ReceiptQuestion } from '@tinbao/shared/api/tips';
import { type Actor, roleMay, tipFieldAccess } from '@tinbao/shared/permissions/index';
import { AnswerContentSchema, MAX_OPEN_QUESTIONS } from '@tinbao/shared/questions/index';
import { and, eq } from 'drizzle-orm';
import { appendAuditEvent } from '../audit/audit-log';
import type { Db } from '../platform/db';
import { AppError, conflict, forbidden, notFound } from '../platform/errors';
import { tipQuestions } from '../platform/schema';
import { loadVisibleTip } from '../tips/access';
import { auditedVisibleTip } from '../tips/content';
import {
  countOpenQuestions,
  markAnswersRead,
  openQuestionsOf,
  type QuestionRow,
  questionsOf,
} from './repository';

export interface QuestionsDeps {
  db: Db;
  orgKeys: KeyPair;
  /** TINBAO_OFFICERS_MAY_ASK: the routed unit's officers ask, and read the questions and answers, too. */
  officersMayAsk: boolean;
  now?: () => Date;
}

const nowOf = (deps: Pick<QuestionsDeps, 'now'>) => deps.now?.() ?? new Date();

/** Moderators and admins always; a unit officer only when the admin allows it. */
export function mayAsk(actor: Actor, officersMayAsk: boolean): boolean {
  if (!roleMay(actor.role, 'tips.ask_resident')) return false;
  return actor.role !== 'unit_officer' || officersMayAsk;
}

const decryptionFailed = (what: string) =>
  new AppError(500, 'decryption_failed', `${what} could not be decrypted with the organisation key`);

async function presentQuestion(keys: KeyPair, actor: Actor, row: QuestionRow): Promise<TipQuestion> {
  let text: string;
  try {
    text = (await openQuestion(row.envelope, { questionId: row.id, tipId: row.tipId }, keys)).text;
  } catch {
    throw decryptionFailed('a question');
  }
  let answer: TipQuestion['answer'] = null;
  if (row.answerId && row.answerEnvelope && row.answerAnsweredAt) {
    try {
      const content = AnswerContentSchema.parse(
        await openSealedAnswer(
          row.answerEnvelope,
          { answerId: row.answerId, questionId: row.id, tipId: row.tipId, answeredAt: row.answerAnsweredAt },
          keys,
        ),
      );
      answer = {
        answeredAt: row.answerAnsweredAt.toISOString(),
        text: content.text,
        readAt: row.answerReadAt?.toISOString() ?? null,
      };
    } catch {
      throw decryptionFailed('an answer');
    }
  }
  const staff = tipFieldAccess(actor).staffNames;
  return {
    id: row.id,
    state: answer ? 'answered' : row.withdrawnAt ? 'withdrawn' : 'open',
    ...(staff ? { askedBy: row.askedBy, askedByName: row.askedByName ?? null } : {}),
    askedByRole: row.askedByRole ?? null,
    askedAt: row.askedAt.toISOString(),
    text,
    withdrawnAt: row.withdrawnAt?.toISOString() ?? null,
    answer,
  };
}

/**
 * A tip's questions and answers, decrypted (audited as tip.questions_decrypted); opening them
 * marks the answers read, which clears the queue's badge.
 */
export async function listQuestions(
  deps: QuestionsDeps,
  actor: Actor,
  tipId: string,
): Promise<TipQuestionListResponse> {
  // 404 first for a tip out of reach (exactly as elsewhere), then 403 for an officer not allowed.
  await loadVisibleTip(deps.db, actor, tipId);
  if (!mayAsk(actor, deps.officersMayAsk))
    throw forbidden('questions to the resident are not open to this role');
  await auditedVisibleTip(deps, actor, tipId, 'tip.questions_decrypted');
  const rows = await questionsOf(deps.db, tipId);
  const questions = await Promise.all(rows.map((row) => presentQuestion(deps.orgKeys, actor, row)));
  const read = await markAnswersRead(deps.db, tipId, nowOf(deps));
  const readIds = new Set(read);
  const readAt = nowOf(deps).toISOString();
  return {
    ok: true,
    mayAsk: true,
    questions: questions.map((question, index) =>
      question.answer && readIds.has(rows[index]?.answerId ?? '')
        ? { ...question, answer: { ...question.answer, readAt } }
        : question,
    ),
  };
}

/** Asks the resident a question: sealed to the organisation key, bound to its id and the tip's. */
export async function askQuestion(
  deps: QuestionsDeps,
  actor: Actor,
  tipId: string,
  text: string,
): Promise<TipQuestion> {
  const id = randomUUID();
  const askedAt = nowOf(deps);
  const envelope = await sealQuestion(text, { questionId: id, tipId }, [deps.orgKeys.publicKey]);
  await deps.db.transaction(async (tx) => {
    // Locked: two moderators asking at once cannot pass the limit together.
    await loadVisibleTip(tx, actor, tipId, { forUpdate: true });
    if (!mayAsk(actor, deps.officersMayAsk))
      throw forbidden('questions to the resident are not open to this role');
    if ((await countOpenQuestions(tx, tipId)) >= MAX_OPEN_QUESTIONS)
      throw conflict('too_many_open_questions', `at most ${MAX_OPEN_QUESTIONS} open questions per tip`);
    await tx.insert(tipQuestions).values({ id, tipId, askedBy: actor.userId, askedAt, envelope });
    await appendAuditEvent(tx, {
      actorType: 'user',
      actorId: actor.userId,
      action: 'tip.question_asked',
      subjectType: 'tip',
      subjectId: tipId,
      details: { questionId: id, role: actor.role },
    });
  });
  const [row] = (await questionsOf(deps.db, tipId)).filter((candidate) => candidate.id === id);
  return presentQuestion(deps.orgKeys, actor, row!);
}

/** Withdraws a question while it is unanswered: the resident no longer sees it, an answer is refused. */
export async function withdrawQuestion(
  deps: QuestionsDeps,
  actor: Actor,
  tipId: string,
  questionId: string,
): Promise<TipQuestion> {
  await deps.db.transaction(async (tx) => {
    await loadVisibleTip(tx, actor, tipId);
    if (!mayAsk(actor, deps.officersMayAsk))
      throw forbidden('questions to the resident are not open to this role');
    const [question] = await tx
      .select({ withdrawnAt: tipQuestions.withdrawnAt, answeredAt: tipQuestions.answeredAt })
      .from(tipQuestions)
      .where(and(eq(tipQuestions.id, questionId), eq(tipQuestions.tipId, tipId)))
      .for('update');
    if (!question) throw notFound('question');
    if (question.withdrawnAt || question.answeredAt)
      throw conflict('question_not_open', 'the question was answered or withdrawn already');
    await tx
      .update(tipQuestions)
      .set({ withdrawnAt: nowOf(deps), withdrawnBy: actor.userId })
      .where(eq(tipQuestions.id, questionId));
    await appendAuditEvent(tx, {
      actorType: 'user',
      actorId: actor.userId,
      action: 'tip.question_withdrawn',
      subjectType: 'tip',
      subjectId: tipId,
      details: { questionId, role: actor.role },
    });
  });
  const [row] = (await questionsOf(deps.db, tipId)).filter((candidate) => candidate.id === questionId);
  return presentQuestion(deps.orgKeys, actor, row!);
}

/**
 * The open questions of a tip, decrypted for the gateway's receipt look-up only: the resident
 * who holds the receipt reads them anyway. Notes never pass here (another table).
 */
export async function openQuestionsForResident(
  deps: Pick<QuestionsDeps, 'db' | 'orgKeys'>,
  tipId: string,
): Promise<ReceiptQuestion[]> {
  const rows = await openQuestionsOf(deps.db, tipId);
  return Promise.all(
    rows.map(async (row) => {
      try {
        const { text } = await openQuestion(
          row.envelope,
          { questionId: row.id, tipId: row.tipId },
          deps.orgKeys,
        );
        return { id: row.id, text, askedAt: row.askedAt.toISOString() };
      } catch {
        throw decryptionFailed('a question');
      }
    }),
  );
}
