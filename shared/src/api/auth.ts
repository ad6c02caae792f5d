import { z } from 'zod';
import { POW_MAX_BITS } from '../crypto/proof-of-work';
import { StaffRoleSchema } from '../permissions/roles';

/** Request and response shapes of /api/v1/auth, shared by the API and the moderation UI. */

export { STAFF_ROLES, type StaffRole, StaffRoleSchema } from '../permissions/roles';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export const USERNAME_PATTERN = /^[a-z0-9._-]{3,64}$/;

/** Lower-case letters, digits, dot, dash, underscore; 3-64 characters. Input is lower-cased. */
export const UsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(USERNAME_PATTERN, 'must be 3-64 characters: letters, digits, dot, dash or underscore');

/** Password policy, the same in the UI, the API and the CLI: null when acceptable. */
export function passwordProblem(password: string, username: string): string | null {
  const value = password.normalize('NFC');
  const length = [...value].length;
  if (length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  if (username.length > 0 && value.toLowerCase().includes(username.toLowerCase()))
    return 'must not contain the username';
  return null;
}

export const TotpCodeSchema = z
  .string()
  .trim()
  .regex(/^[0-9]{6}$/, 'must be the 6-digit code from the authenticator app');

/** base64url, 43 characters (32 random bytes). */
export const ChallengeSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'is not a login challenge');

/**
 * The puzzle a 401 `proof_of_work_required` carries (see crypto/proof-of-work.ts): find a
 * nonce such that argon2id(challenge ":" nonce, salt, opslimit, memlimit) starts with `bits`
 * zero bits, then send the login again with `pow: { challenge, nonce }`. One use, a few minutes.
 */
export const ProofOfWorkSchema = z.object({
  challenge: z.string().regex(/^[A-Za-z0-9_-]{51}$/),
  salt: z.string().regex(/^[0-9a-f]{32}$/),
  bits: z.number().int().min(1).max(POW_MAX_BITS),
  opslimit: z.number().int().min(1),
  memlimit: z.number().int().min(8192),
});
export type ProofOfWork = z.infer<typeof ProofOfWorkSchema>;

/** 401 body when the account (or the server, under load) asks strangers to pay for a guess. */
export const ProofOfWorkRequiredSchema = z.object({
  ok: z.literal(false),
  error: z.literal('proof_of_work_required'),
  message: z.string(),
  pow: ProofOfWorkSchema,
});

export const ProofOfWorkSolutionSchema = z.object({
  challenge: z.string().min(1).max(128),
  nonce: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32),
});
export type ProofOfWorkSolution = z.infer<typeof ProofOfWorkSolutionSchema>;

// Login accepts any username text (an unknown one gets the same answer as a wrong password).
export const LoginRequestSchema = z.object({
  username: z.string().trim().toLowerCase().min(1).max(64),
  password: z
    .string()
    .min(1)
    .max(PASSWORD_MAX_LENGTH * 4),
  /** Only when the last answer was `proof_of_work_required`: its puzzle, solved. */
  pow: ProofOfWorkSolutionSchema.optional(),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

export const LoginResponseSchema = z.discriminatedUnion('next', [
  z.object({ ok: z.literal(true), next: z.literal('totp'), challenge: ChallengeSchema }),
  z.object({
    ok: z.literal(true),
    next: z.literal('enroll'),
    challenge: ChallengeSchema,
    /** otpauth://totp/TinBao:<username>?secret=…&issuer=TinBao&algorithm=SHA1&digits=6&period=30 */
    otpauthUrl: z.string(),
    /** The same URL as a QR code, an <svg> document. */
    qrSvg: z.string(),
    /** The base32 secret, for typing into an app that cannot scan. */
    secret: z.string(),
  }),
]);
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

export const LoginTotpRequestSchema = z.object({ challenge: ChallengeSchema, code: TotpCodeSchema });
export type LoginTotpRequest = z.infer<typeof LoginTotpRequestSchema>;
export const LoginEnrollRequestSchema = LoginTotpRequestSchema;
export type LoginEnrollRequest = LoginTotpRequest;

export const SessionUserSchema = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  role: StaffRoleSchema,
  unitId: z.uuid().nullable(),
  /** A moderator limited to one province (its 2-digit code); null = nationwide. */
  provinceCode: z.string().nullable(),
  /**
   * True while the account still has a temporary / one-time password (created by an admin,
   * reset, or the first-start admin): every API route except GET /auth/me, POST /auth/password
   * and POST /auth/logout answers 403 `password_change_required` until POST /auth/password.
   */
  mustChangePassword: z.boolean(),
});
export type SessionUser = z.infer<typeof SessionUserSchema>;

/** Answer of POST /login/totp, POST /login/enroll and GET /me. */
export const SessionResponseSchema = z.object({
  ok: z.literal(true),
  user: SessionUserSchema,
  /** Send it back in the X-CSRF-Token header of every POST/PUT/PATCH/DELETE. */
  csrfToken: z.string(),
});
export type SessionResponse = z.infer<typeof SessionResponseSchema>;

export const LogoutResponseSchema = z.object({ ok: z.literal(true) });

export const ChangePasswordRequestSchema = z.object({
  currentPassword: z
    .string()
    .min(1)
    .max(PASSWORD_MAX_LENGTH * 4),
  newPassword: z
    .string()
    .min(1)
    .max(PASSWORD_MAX_LENGTH * 4),
});
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequestSchema>;

/** Every error body of the API. */
export const ErrorResponseSchema = z.object({
  ok: z.literal(false),
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

/** Stable error codes of the auth endpoints. */
export const AUTH_ERRORS = {
  invalidCredentials: 'invalid_credentials',
  invalidChallenge: 'invalid_challenge',
  rateLimited: 'rate_limited',
  /** 401 on POST /auth/login: solve the `pow` puzzle of the body and send the login again. */
  proofOfWorkRequired: 'proof_of_work_required',
  /** 429 on a login step when the password-hashing queue is full: try again in a moment. */
  serverBusy: 'server_busy',
  unauthorized: 'unauthorized',
  csrfFailed: 'csrf_failed',
  weakPassword: 'weak_password',
  /** 403 on every route but me/password/logout while `user.mustChangePassword` is true. */
  passwordChangeRequired: 'password_change_required',
  /** 400 on POST /auth/password when the new password equals the current one. */
  samePassword: 'same_password',
} as const;
