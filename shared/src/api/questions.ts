import { z } from 'zod';
import { StaffRoleSchema } from '../permissions/roles';
import { MAX_QUESTION_LENGTH } from '../questions/text';
import { staffText } from './tips';

/**
 * A question to the resident of a tip. The composer says before writing that the resident will
 * read it; nothing turns a question into a note or back (they are separate tables and routes).
 */
export const QuestionCreateSchema = z.object({ text: staffText(MAX_QUESTION_LENGTH) }).strict();
export type QuestionCreate = z.infer<typeof QuestionCreateSchema>;

export const QuestionParamsSchema = z.object({ id: z.uuid(), questionId: z.uuid() });

export const TipAnswerSchema = z.object({
  answeredAt: z.iso.datetime(),
  text: z.string(),
  /** Null until a staff member opened it. */
  readAt: z.iso.datetime().nullable(),
});
export type TipAnswer = z.infer<typeof TipAnswerSchema>;

export const QuestionStateSchema = z.enum(['open', 'answered', 'withdrawn']);
export type QuestionState = z.infer<typeof QuestionStateSchema>;

export const TipQuestionSchema = z.object({
  id: z.uuid(),
  state: QuestionStateSchema,
  /** tips.read_staff_names only. */
  askedBy: z.string().optional(),
  askedByName: z.string().nullable().optional(),
  askedByRole: StaffRoleSchema.nullable(),
  askedAt: z.iso.datetime(),
  text: z.string(),
  withdrawnAt: z.iso.datetime().nullable(),
  answer: TipAnswerSchema.nullable(),
});
export type TipQuestion = z.infer<typeof TipQuestionSchema>;

export const TipQuestionListResponseSchema = z.object({
  ok: z.literal(true),
  /** Whether this user may ask (and withdraw) here: moderators; officers when the admin allows it. */
  mayAsk: z.boolean(),
  questions: z.array(TipQuestionSchema),
});
export type TipQuestionListResponse = z.infer<typeof TipQuestionListResponseSchema>;

export const TipQuestionResponseSchema = z.object({ ok: z.literal(true), question: TipQuestionSchema });
export type TipQuestionResponse = z.infer<typeof TipQuestionResponseSchema>;
