import { z } from 'zod';
import { TipStatusSchema } from '../tips/schemas';
import { TipActionSchema } from './tips';

/** The 409 codes of the tips workflow: their body carries the tip's status and what is allowed now. */
export const TIP_CONFLICT_CODES = [
  'illegal_transition',
  'version_conflict',
  'already_routed',
  'already_acknowledged',
  'not_acknowledged',
  'outcome_already_reported',
  'not_open',
] as const;
export type TipConflictCode = (typeof TIP_CONFLICT_CODES)[number];

/**
 * Every error code the API answers with, declared once: the API's AppError takes only these
 * and the UI translates each of them (its message table is typed by this enum, so a new code
 * without a translation does not compile).
 */
export const ApiErrorCodeSchema = z.enum([
  // 400
  'invalid_request',
  'payload_too_large',
  'weak_password',
  'same_password',
  'unknown_unit',
  'unknown_province',
  // 401
  'unauthorized',
  'invalid_credentials',
  'invalid_challenge',
  'proof_of_work_required',
  // 403
  'forbidden',
  'csrf_failed',
  'password_change_required',
  // 404
  'not_found',
  // 409: the tips workflow (with status and allowed actions), accounts and units
  ...TIP_CONFLICT_CODES,
  'username_taken',
  'cannot_change_own_account',
  'unit_code_taken',
  'legal_hold_exists',
  'no_legal_hold',
  // 410: the tip's content was purged under the retention rules (its clear fields and audit events remain)
  'tip_purged',
  /** Questions: too many open at once on a tip; withdrawing one that was answered or withdrawn. */
  'too_many_open_questions',
  'question_not_open',
  // 429
  'rate_limited',
  'server_busy',
  // 500
  'decryption_failed',
  'internal_error',
]);
export type ApiErrorCode = z.infer<typeof ApiErrorCodeSchema>;

/** Every error body of the API. */
export const ApiErrorSchema = z.object({
  ok: z.literal(false),
  error: ApiErrorCodeSchema,
  message: z.string(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

/** One field a request failed on: `body.username`, `query.limit`, and why (zod's words). */
export const ValidationIssueSchema = z.object({ path: z.string(), message: z.string() });
export type ValidationIssue = z.infer<typeof ValidationIssueSchema>;

/** 400 body of a request that failed validation: the fields it failed on (at most 20). */
export const InvalidRequestErrorSchema = ApiErrorSchema.extend({
  error: z.literal('invalid_request'),
  issues: z.array(ValidationIssueSchema),
});

/** 409 body of a refused workflow step: the status the tip is in and what may be done now. */
export const TipConflictErrorSchema = ApiErrorSchema.extend({
  error: z.enum(TIP_CONFLICT_CODES),
  status: TipStatusSchema.optional(),
  allowed: z.array(TipActionSchema),
});
export type TipConflictError = z.infer<typeof TipConflictErrorSchema>;
