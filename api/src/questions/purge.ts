import { inArray } from 'drizzle-orm';
import type { PurgeStep } from '../retention/purge-steps';
import { tipAnswers, tipQuestions } from './schema';

/**
 * What the questions feature deletes when a tip is purged: the sealed questions and the
 * resident's answers. Their audit events (ids and times only) stay.
 */
export const QUESTION_PURGE_STEPS: readonly PurgeStep[] = [
  {
    name: 'tip_answers',
    purge: async (tx, tipIds) =>
      (
        await tx
          .delete(tipAnswers)
          .where(inArray(tipAnswers.tipId, [...tipIds]))
          .returning({ id: tipAnswers.id })
      ).length,
  },
  {
    name: 'tip_questions',
    purge: async (tx, tipIds) =>
      (
        await tx
          .delete(tipQuestions)
          .where(inArray(tipQuestions.tipId, [...tipIds]))
          .returning({ id: tipQuestions.id })
      ).length,
  },
];
