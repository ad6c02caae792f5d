import type { Argon2Pool } from '@tinbao/shared';
import type { LoginRequest, LoginResponse, LoginTotpRequest } from '@tinbao/shared/api/auth';
import type { Request, Response } from 'express';
import type { Redis } from 'ioredis';
import type { ApiConfig } from '../config';
import { AppError, tooManyRequests } from '../platform/errors';
import { readDeviceCookie, setDeviceCookie } from './device-cookie';
import { type LoginCounter, LoginGuard } from './login-guard';
import { type LoginKeys, loginKeysOf } from './login-keys';
import { PasswordQueueFull } from './passwords';
import { checkSolution, issueChallenge, type PowVerdict } from './proof-of-work';
import {
  checkPassword,
  checkSecondFactor,
  invalidChallenge,
  invalidCredentials,
  type LoginServiceDeps,
  MAX_CONSECUTIVE_FAILURES,
  type SecondStepResult,
} from './service';

export interface LoginDefenceDeps extends LoginServiceDeps {
  config: LoginServiceDeps['config'] &
    Pick<
      ApiConfig,
      'LOGIN_IP_FAILURE_LIMIT' | 'LOGIN_POW_AFTER_FAILURES' | 'LOGIN_POW_BITS' | 'REDIS_PREFIX'
    >;
  /** Fast-fail Redis: the counters and the spent proofs of work. */
  redisFast: Redis;
  /** The pool the proofs of work are checked on (the passwords' pool). */
  argon2: Argon2Pool;
}

/** Strangers must prove work once the pool's strangers' queue is this full, whatever the account. */
const POW_PRESSURE = 0.5;

export const serverBusy = () =>
  new AppError(429, 'server_busy', 'too many logins are being checked right now; try again in a few seconds');

const powMessages: Record<Exclude<PowVerdict, 'ok'> | 'required', string> = {
  required:
    'this account had many failed logins (or the server is busy): solve the proof of work in `pow` and send the login again with pow: { challenge, nonce }',
  invalid: 'the proof of work is not a solution of a challenge of ours: solve the new one in `pow`',
  expired: 'the proof of work expired: solve the new one in `pow`',
  replayed: 'that proof of work was already used: solve the new one in `pow`',
};

const clientAddress = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/**
 * The login's defences around the service (issue 11, "logins survive a flood"), in order:
 * 1. A known device (device-cookie.ts, for this account, with fewer than
 *    MAX_CONSECUTIVE_FAILURES failures of its own) skips the rest but the password: its check
 *    takes the pool's first lane, so strangers' guesses neither lock nor slow its owner.
 * 2. A stranger's address is counted before anything costly: past LOGIN_IP_FAILURE_LIMIT
 *    unsuccessful attempts in 15 minutes, 429.
 * 3. The account's failures are counted before hashing; past LOGIN_POW_AFTER_FAILURES (or
 *    while the pool is half full), a stranger must send a solved proof of work, checked with
 *    one argon2id try and spent once. Without one: 401 `proof_of_work_required` + a puzzle.
 * 4. The password is checked on the bounded pool; a full queue answers 429 `server_busy`.
 * A success takes back what it counted. Nothing here stores or logs an address or a name:
 * counters are keyed by HMACs (login-keys.ts).
 */
export function createLoginDefences(deps: LoginDefenceDeps) {
  const guard = new LoginGuard(deps.redisFast, deps.config.REDIS_PREFIX, deps.logger);
  const clock = deps.now ?? (() => new Date());
  const ipLimit = deps.config.LOGIN_IP_FAILURE_LIMIT;
  const powAfter = deps.config.LOGIN_POW_AFTER_FAILURES;
  const bits = deps.config.LOGIN_POW_BITS;

  const proofRequired = (keys: LoginKeys, verdict: Exclude<PowVerdict, 'ok'> | 'required', now: Date) =>
    new AppError(401, 'proof_of_work_required', powMessages[verdict], {
      pow: issueChallenge(keys, bits, now),
    });

  async function passwordStep(req: Request, body: LoginRequest): Promise<LoginResponse> {
    const now = clock();
    const keys = await loginKeysOf(deps.config);
    const accountKey = keys.accountKey(body.username);
    const cookie = readDeviceCookie(req, keys, now);
    const deviceKey = cookie?.accountKey === accountKey ? keys.clientKey({ deviceId: cookie.id }) : undefined;
    const addressKey = keys.clientKey({ address: clientAddress(req) });

    // A proof of work is checked before the account is counted; its address is counted first,
    // so sending wrong proofs is not free either.
    let paid = false;
    if (body.pow) {
      if ((await guard.add('address', addressKey, 1, now)) > ipLimit) {
        throw tooManyRequests('too many unsuccessful logins from this address');
      }
      const verdict = await checkSolution(
        { keys, pool: deps.argon2, redis: deps.redisFast, redisPrefix: deps.config.REDIS_PREFIX },
        body.pow,
        bits,
        now,
      ).catch((error: unknown) => {
        if (error instanceof PasswordQueueFull) throw serverBusy();
        throw error;
      });
      if (verdict !== 'ok') throw proofRequired(keys, verdict, now);
      paid = true;
    }
    const admission = await guard.admit(
      {
        address: addressKey,
        account: accountKey,
        ...(deviceKey ? { device: deviceKey } : {}),
        countAddress: !body.pow,
        paid,
        mustPay: deps.passwords.pressure >= POW_PRESSURE,
        ipLimit,
        powAfter,
        deviceLimit: MAX_CONSECUTIVE_FAILURES,
      },
      now,
    );
    if (admission.verdict === 'rate_limited')
      throw tooManyRequests('too many unsuccessful logins from this address');
    if (admission.verdict === 'proof_required') throw proofRequired(keys, 'required', now);
    const known = admission.known && deviceKey !== undefined;
    // What this attempt counted, taken back if it turns out not to be a failure.
    const counted: Array<[LoginCounter, string]> = [['account', accountKey]];
    if (known) counted.push(['device', deviceKey]);
    if (!known || body.pow) counted.push(['address', addressKey]);
    const takeBack = () => guard.addAll(counted, -1, now);

    let result: Awaited<ReturnType<typeof checkPassword>>;
    try {
      result = await checkPassword(
        deps,
        body.username,
        body.password,
        known ? deviceKey : addressKey,
        known ? 'first' : 'normal',
      );
    } catch (error) {
      if (!(error instanceof PasswordQueueFull)) throw error;
      await takeBack();
      throw serverBusy();
    }
    if (result.ok) {
      // Not awaited: the answer does not depend on it, and Redis runs it before this client's next call.
      void takeBack();
      return result;
    }
    if (admission.failures === powAfter) {
      deps.logger.warn(
        { account: accountKey.slice(0, 8), failures: admission.failures },
        'login: many failures for one account; unknown clients must now prove work',
      );
    }
    deps.logger.info({ reason: result.reason, step: 'password', knownDevice: known }, 'login failed');
    throw invalidCredentials();
  }

  async function secondStep(
    req: Request,
    res: Response,
    purpose: 'totp' | 'enroll',
    body: LoginTotpRequest,
  ): Promise<Extract<SecondStepResult, { ok: true }>> {
    const now = clock();
    const keys = await loginKeysOf(deps.config);
    // The cookie alone: its own failure count was checked at the password step.
    const cookie = readDeviceCookie(req, keys, now);
    const device = cookie ? { ...cookie, key: keys.clientKey({ deviceId: cookie.id }) } : null;
    const addressKey = keys.clientKey({ address: clientAddress(req) });
    // The account is known once the challenge is read; until then a known device is trusted.
    if (!device && (await guard.count('address', addressKey, now)) >= ipLimit) {
      throw tooManyRequests('too many unsuccessful logins from this address');
    }
    let knownFor: string | null = null;
    const result = await checkSecondFactor(deps, purpose, body.challenge, body.code, res, (username) => {
      const accountKey = keys.accountKey(username);
      if (device?.accountKey === accountKey) knownFor = accountKey;
      return knownFor ? (device?.key as string) : addressKey;
    });
    if (!result.ok) {
      const counters: Array<[LoginCounter, string]> = [
        knownFor && device ? ['device', device.key] : ['address', addressKey],
      ];
      if (result.username) counters.push(['account', keys.accountKey(result.username)]);
      await guard.addAll(counters, 1, now);
      deps.logger.info(
        { reason: result.reason, step: purpose, knownDevice: knownFor !== null },
        'login failed',
      );
      throw result.reason === 'invalid_challenge' ? invalidChallenge() : invalidCredentials();
    }
    // From now on this browser is a known device of this account; its own failures start over.
    setDeviceCookie(
      res,
      keys,
      deps.config,
      keys.accountKey(result.user.username),
      now,
      knownFor ? device?.id : undefined,
    );
    // Not awaited: the answer does not depend on it (and `reset` never throws).
    if (device) void guard.reset('device', device.key);
    deps.logger.info({ userId: result.user.id, knownDevice: knownFor !== null }, 'login succeeded');
    return result;
  }

  /** For the signed-in routes that check a password (POST /auth/password): the address limit only. */
  async function checkAddress(req: Request): Promise<void> {
    const keys = await loginKeysOf(deps.config);
    const key = keys.clientKey({ address: clientAddress(req) });
    if ((await guard.count('address', key, clock())) >= ipLimit) {
      throw tooManyRequests('too many unsuccessful logins from this address');
    }
  }

  async function countAddressFailure(req: Request): Promise<void> {
    const keys = await loginKeysOf(deps.config);
    await guard.add('address', keys.clientKey({ address: clientAddress(req) }), 1, clock());
  }

  return { passwordStep, secondStep, checkAddress, countAddressFailure };
}
