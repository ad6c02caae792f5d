import { z } from 'zod';
import { type KeyPair, openJson, sealJson } from '../crypto/envelope';
import { MAX_ANSWER_LENGTH, MAX_QUESTION_LENGTH } from './text';

/**
 * Questions and answers are sealed to the organisation key like tips, each bound (associated
 * data) to what names it, so an envelope copied onto another question, answer or tip does not
 * open. The ids in lower case, times as JavaScript's ISO string (what the database gives back).
 */
export const QuestionBindingSchema = z.object({ questionId: z.uuid(), tipId: z.uuid() });
export type QuestionBinding = z.infer<typeof QuestionBindingSchema>;

export const AnswerBindingSchema = z.object({
  answerId: z.uuid(),
  questionId: z.uuid(),
  tipId: z.uuid(),
  answeredAt: z.union([z.iso.datetime(), z.date()]),
});
export type AnswerBinding = z.infer<typeof AnswerBindingSchema>;

export const QuestionContentSchema = z.object({ text: z.string().min(1).max(MAX_QUESTION_LENGTH) }).strict();
export const AnswerContentSchema = z.object({ text: z.string().min(1).max(MAX_ANSWER_LENGTH) }).strict();
export type AnswerContent = z.infer<typeof AnswerContentSchema>;

const encode = (parts: string[]) => new TextEncoder().encode(parts.join('\0'));

export function questionContext(binding: QuestionBinding): Uint8Array {
  const { questionId, tipId } = QuestionBindingSchema.parse(binding);
  return encode(['tinbao/question/1', questionId.toLowerCase(), tipId.toLowerCase()]);
}

export function answerContext(binding: AnswerBinding): Uint8Array {
  const { answerId, questionId, tipId, answeredAt } = AnswerBindingSchema.parse(binding);
  return encode([
    'tinbao/answer/1',
    answerId.toLowerCase(),
    questionId.toLowerCase(),
    tipId.toLowerCase(),
    new Date(answeredAt).toISOString(),
  ]);
}

export function sealQuestion(text: string, binding: QuestionBinding, recipients: Uint8Array[]) {
  return sealJson({ text }, recipients, { context: questionContext(binding) });
}

export async function openQuestion(envelope: Uint8Array, binding: QuestionBinding, keys: KeyPair) {
  return QuestionContentSchema.parse(await openJson(envelope, keys, { context: questionContext(binding) }));
}

export function sealAnswer(text: string, binding: AnswerBinding, recipients: Uint8Array[]) {
  return sealJson({ text }, recipients, { context: answerContext(binding) });
}

/** Opens an answer as the one `binding` names (throws EnvelopeError otherwise); returns the unchecked JSON. */
export async function openSealedAnswer(
  envelope: Uint8Array,
  binding: AnswerBinding,
  keys: KeyPair,
): Promise<unknown> {
  return openJson(envelope, keys, { context: answerContext(binding), legacy: 'refuse' });
}
