import {
  ENVELOPE_VERSION,
  EnvelopeError,
  envelopeVersion,
  type IntakeRecord,
  type KeyPair,
  openSealedTip,
  type TipClearFields,
  type TipContent,
  TipContentSchema,
} from '@tinbao/shared';

/** Why the intake worker refused a record for good: the audit event's and the metric's `reason`. */
export const INTAKE_REFUSAL_REASONS = [
  /** The job is not `{ tipId: uuid }`. */
  'payload_invalid',
  /** No record in Redis and no stored tip: nothing to store. */
  'record_missing',
  /** The record's clear fields are not valid JSON of the schema, or name another tip. */
  'record_unreadable',
  /** A version 1 envelope: bound to no tip, so it could have been moved from any other. */
  'unbound_envelope',
  /** The envelope does not open as this tip (sealed for another id, receipt, channel or time, or to another key). */
  'envelope_mismatch',
  /** It opens, but what is sealed is not a tip's content. */
  'content_invalid',
  /** A clear field (category, province, commune, venue, observed) disagrees with the sealed one. */
  'clear_mismatch',
  /** `submittedAt` lies ahead of the worker's clock by more than the allowed skew. */
  'submitted_in_future',
  /** `submittedAt` is older than the intake window. */
  'submitted_too_long_ago',
  /** An answer: the text fails the answer rules (empty, too long, nothing but invisible characters). */
  'answer_invalid',
  /** An answer to a question that does not exist, or belongs to another tip. */
  'question_unknown',
  /** An answer to a withdrawn question. */
  'question_withdrawn',
  /** An answer to a question answered already (by another answer id). */
  'question_answered',
] as const;
export type IntakeRefusalReason = (typeof INTAKE_REFUSAL_REASONS)[number];

export interface IntakeRefusal {
  reason: IntakeRefusalReason;
  /** For clear_mismatch: which clear fields disagree (names only, never values). */
  fields?: string[];
}

export type IntakeCheck = { ok: true; content: TipContent } | ({ ok: false } & IntakeRefusal);

export interface IntakeWindow {
  now: Date;
  /** How old a submission may be when the worker takes it (default one day). */
  maxAgeMs: number;
  /** How far ahead of the worker's clock the gateway's may run. */
  clockSkewMs: number;
}

export const DEFAULT_INTAKE_MAX_AGE_MS = 24 * 3600 * 1000;
export const INTAKE_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** The clear fields that repeat a sealed one, and how each is written in the sealed content. */
const DUPLICATED_FIELDS: Array<[keyof TipClearFields, (content: TipContent) => unknown]> = [
  ['category', (content) => content.category],
  ['provinceCode', (content) => content.provinceCode],
  ['communeCode', (content) => content.communeCode ?? null],
  ['venueType', (content) => content.venueType],
  ['observed', (content) => content.observed],
];

/**
 * Checks that a record is what the gateway sealed: its time inside the window, its envelope
 * opening with the organisation key as this very tip (id, receipt code, channel and time are
 * the envelope's associated data), and every clear field equal to its sealed twin.
 */
export async function checkIntakeRecord(
  record: IntakeRecord,
  orgKeys: KeyPair,
  window: IntakeWindow,
): Promise<IntakeCheck> {
  const { clear } = record;
  const submittedAt = Date.parse(clear.submittedAt);
  if (submittedAt > window.now.getTime() + window.clockSkewMs)
    return { ok: false, reason: 'submitted_in_future' };
  if (submittedAt < window.now.getTime() - window.maxAgeMs)
    return { ok: false, reason: 'submitted_too_long_ago' };

  if (envelopeVersion(record.envelope) !== ENVELOPE_VERSION) {
    return {
      ok: false,
      reason: envelopeVersion(record.envelope) === 1 ? 'unbound_envelope' : 'envelope_mismatch',
    };
  }
  let opened: unknown;
  try {
    opened = await openSealedTip(record.envelope, clear, orgKeys);
  } catch (error) {
    if (error instanceof EnvelopeError) return { ok: false, reason: 'envelope_mismatch' };
    // Authentic, yet not JSON: sealed by someone who holds the public key, not by the gateway.
    if (error instanceof SyntaxError) return { ok: false, reason: 'content_invalid' };
    throw error;
  }
  const content = TipContentSchema.safeParse(opened);
  if (!content.success) return { ok: false, reason: 'content_invalid' };

  const fields = DUPLICATED_FIELDS.filter(([name, sealed]) => clear[name] !== sealed(content.data)).map(
    ([name]) => name,
  );
  if (fields.length > 0) return { ok: false, reason: 'clear_mismatch', fields };
  return { ok: true, content: content.data };
}
