import { toNfc } from '../text/normalize';

/** A resident's answer to a staff question: at most this many characters (after NFC). */
export const MAX_ANSWER_LENGTH = 1000;
/** A staff question: short, read on a cheap phone. */
export const MAX_QUESTION_LENGTH = 500;
/** At most this many unanswered, not withdrawn questions per tip at once. */
export const MAX_OPEN_QUESTIONS = 3;

/**
 * The composer's templates: the questions moderators ask most. They are only a starting text;
 * what is sent (and sealed) is what the moderator leaves in the composer.
 */
export const QUESTION_TEMPLATES = [
  'Bạn có thể mô tả rõ hơn địa điểm không?',
  'Việc này thường diễn ra vào giờ nào?',
  'Bạn có biết thêm đặc điểm nhận dạng (trang phục, xe…) không?',
  'Việc này đã diễn ra bao lâu rồi?',
  'Có bao nhiêu người liên quan?',
] as const;

export type AnswerTextProblem = 'empty' | 'too_long' | 'meaningless';

/** Characters that show nothing: an answer of only these (or only emoji) says nothing. */
const MEANINGFUL = /[\p{L}\p{N}]/u;

/**
 * Checks a resident's answer as the gateway takes it and as the intake worker stores it: NFC,
 * trimmed, not empty, at most MAX_ANSWER_LENGTH characters, with at least a letter or digit.
 */
export function checkAnswerText(
  raw: string,
): { ok: true; text: string } | { ok: false; problem: AnswerTextProblem } {
  const text = toNfc(raw).trim();
  if (text.length === 0) return { ok: false, problem: 'empty' };
  if (text.length > MAX_ANSWER_LENGTH) return { ok: false, problem: 'too_long' };
  if (!MEANINGFUL.test(text)) return { ok: false, problem: 'meaningless' };
  return { ok: true, text };
}
