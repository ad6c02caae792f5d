import { randomInt } from 'node:crypto';
import type { StaffUser } from '@tinbao/shared/api/users';
import type { StaffRole } from '@tinbao/shared/permissions/index';
import { and, asc, eq } from 'drizzle-orm';
import { appendAuditEvent, auditActorOf, type ChangedBy } from '../audit/audit-log';
import {
  defaultPasswordHasher,
  type PasswordCost,
  type PasswordHasher,
  passwordProblem,
} from '../auth/passwords';
import { deleteUserSessions } from '../auth/sessions';
import type { Db, DbOrTx } from '../platform/db';
import { AppError, badRequest, conflict, notFound } from '../platform/errors';
import { adminUnits, loginChallenges, loginFailures, units, users } from '../platform/schema';

const userColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  unitId: users.unitId,
  unitCode: units.code,
  provinceCode: users.provinceCode,
  disabledAt: users.disabledAt,
  totpEnrolledAt: users.totpEnrolledAt,
  mustChangePassword: users.mustChangePassword,
  lockedUntil: users.lockedUntil,
  lastLoginAt: users.lastLoginAt,
  createdAt: users.createdAt,
};

type UserListRow = {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
  unitId: string | null;
  unitCode: string | null;
  provinceCode: string | null;
  disabledAt: Date | null;
  totpEnrolledAt: Date | null;
  mustChangePassword: boolean;
  lockedUntil: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
};

/** The API shape of a staff account: never the password hash or the TOTP secret. */
export function presentUser(row: UserListRow, now: Date = new Date()): StaffUser {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: row.role,
    unitId: row.unitId,
    unitCode: row.unitCode,
    provinceCode: row.provinceCode,
    disabled: row.disabledAt !== null,
    totpEnrolled: row.totpEnrolledAt !== null,
    mustChangePassword: row.mustChangePassword,
    lockedUntil: row.lockedUntil && row.lockedUntil > now ? row.lockedUntil.toISOString() : null,
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listUsers(db: DbOrTx): Promise<StaffUser[]> {
  const rows = await db
    .select(userColumns)
    .from(users)
    .leftJoin(units, eq(units.id, users.unitId))
    .orderBy(asc(users.username));
  return rows.map((row) => presentUser(row));
}

export async function getUser(db: DbOrTx, id: string): Promise<StaffUser> {
  const [row] = await db
    .select(userColumns)
    .from(users)
    .leftJoin(units, eq(units.id, users.unitId))
    .where(eq(users.id, id))
    .limit(1);
  if (!row) throw notFound('user');
  return presentUser(row);
}

export async function findUnitIdByCode(db: DbOrTx, code: string): Promise<string | undefined> {
  const [unit] = await db.select({ id: units.id }).from(units).where(eq(units.code, code)).limit(1);
  return unit?.id;
}

async function assertUnitExists(db: DbOrTx, unitId: string): Promise<void> {
  const [unit] = await db.select({ id: units.id }).from(units).where(eq(units.id, unitId)).limit(1);
  if (!unit) throw new AppError(400, 'unknown_unit', 'no unit with that id');
}

async function assertProvinceExists(db: DbOrTx, provinceCode: string): Promise<void> {
  const [found] = await db
    .select({ code: adminUnits.code })
    .from(adminUnits)
    .where(and(eq(adminUnits.code, provinceCode), eq(adminUnits.level, 'province')));
  if (!found) throw new AppError(400, 'unknown_province', `no province with code ${provinceCode}`);
}

const PROVINCE_ONLY_FOR_MODERATORS = 'only a moderator can be limited to a province';

// No 0/O, 1/l/I: read aloud or typed from a screen without mistakes.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** 4 groups of 5 characters (~115 bits): shown once, changed by the user after login. */
export function generateTemporaryPassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) {
    let group = '';
    for (let i = 0; i < 5; i++) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}

export interface CreateUserInput {
  username: string;
  displayName?: string | undefined;
  role: StaffRole;
  unitId?: string | null | undefined;
  /** Moderators only: the one province they see; null/absent = nationwide. */
  provinceCode?: string | null | undefined;
  /** Without it a temporary password is generated and returned. */
  password?: string | undefined;
}

/** Creates a staff account without TOTP: the user enrols at first login. */
export async function createUser(
  db: Db,
  input: CreateUserInput,
  by: ChangedBy,
  passwordCost: PasswordCost = 'interactive',
  passwords: PasswordHasher = defaultPasswordHasher(),
): Promise<{ user: StaffUser; temporaryPassword?: string }> {
  const unitId = input.unitId ?? null;
  if ((input.role === 'unit_officer') !== (unitId !== null)) {
    throw badRequest('a unit_officer needs a unit; admins and moderators have none');
  }
  const provinceCode = input.provinceCode ?? null;
  if (provinceCode !== null && input.role !== 'moderator') throw badRequest(PROVINCE_ONLY_FOR_MODERATORS);
  const temporaryPassword = input.password === undefined ? generateTemporaryPassword() : undefined;
  const password = input.password ?? (temporaryPassword as string);
  const problem = passwordProblem(password, input.username);
  if (problem) throw new AppError(400, 'weak_password', `password ${problem}`);
  const passwordHash = await passwords.hash(password, passwordCost);
  const id = await db.transaction(async (tx) => {
    if (unitId) await assertUnitExists(tx, unitId);
    if (provinceCode) await assertProvinceExists(tx, provinceCode);
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.username, input.username));
    if (taken) throw conflict('username_taken', 'that username is already in use');
    const [row] = await tx
      .insert(users)
      .values({
        username: input.username,
        displayName: input.displayName ?? input.username,
        role: input.role,
        unitId,
        provinceCode,
        passwordHash,
        // A generated password was seen by someone else (the admin, a file): it is one-time.
        mustChangePassword: temporaryPassword !== undefined,
      })
      .returning({ id: users.id });
    if (!row) throw new Error('insert returned no row');
    await appendAuditEvent(tx, {
      ...auditActorOf(by),
      action: 'user.created',
      subjectType: 'user',
      subjectId: row.id,
      details: { role: input.role, unitId, provinceCode, temporaryPassword: temporaryPassword !== undefined },
    });
    return row.id;
  });
  return { user: await getUser(db, id), ...(temporaryPassword ? { temporaryPassword } : {}) };
}

export interface UpdateUserInput {
  displayName?: string | undefined;
  role?: StaffRole | undefined;
  unitId?: string | null | undefined;
  provinceCode?: string | null | undefined;
  disabled?: boolean | undefined;
}

/** Role, unit, province, display name, disabled. Disabling ends the user's sessions at once. */
export async function updateUser(
  db: Db,
  id: string,
  patch: UpdateUserInput,
  by: ChangedBy,
): Promise<StaffUser> {
  await db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, id)).for('update');
    if (!user) throw notFound('user');
    const isSelf = by !== 'cli' && by.userId === id;
    if (isSelf && ((patch.role && patch.role !== user.role) || patch.disabled === true)) {
      // An admin cannot lock themselves (or the last admin) out by accident.
      throw conflict('cannot_change_own_account', 'you cannot change your own role or disable yourself');
    }
    const role = patch.role ?? user.role;
    let unitId = user.unitId;
    if (patch.unitId !== undefined) unitId = patch.unitId;
    else if (patch.role && patch.role !== 'unit_officer') unitId = null;
    if ((role === 'unit_officer') !== (unitId !== null)) {
      throw badRequest('a unit_officer needs a unit; admins and moderators have none');
    }
    if (unitId && unitId !== user.unitId) await assertUnitExists(tx, unitId);
    let provinceCode = user.provinceCode;
    if (patch.provinceCode !== undefined) provinceCode = patch.provinceCode;
    else if (role !== 'moderator') provinceCode = null;
    if (provinceCode !== null && role !== 'moderator') throw badRequest(PROVINCE_ONLY_FOR_MODERATORS);
    if (provinceCode && provinceCode !== user.provinceCode) await assertProvinceExists(tx, provinceCode);
    const now = new Date();
    const disabledAt =
      patch.disabled === undefined ? user.disabledAt : patch.disabled ? (user.disabledAt ?? now) : null;
    await tx
      .update(users)
      .set({
        role,
        unitId,
        provinceCode,
        disabledAt,
        ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
        updatedAt: now,
      })
      .where(eq(users.id, id));
    let sessionsEnded = 0;
    if (disabledAt && !user.disabledAt) {
      sessionsEnded = await deleteUserSessions(tx, id);
      await tx.delete(loginChallenges).where(eq(loginChallenges.userId, id));
    }
    // Field names and access-relevant values only; display names stay out of the log.
    const changes: Record<string, unknown> = {};
    if (role !== user.role) changes.role = { from: user.role, to: role };
    if (unitId !== user.unitId) changes.unitId = { from: user.unitId, to: unitId };
    if (provinceCode !== user.provinceCode)
      changes.provinceCode = { from: user.provinceCode, to: provinceCode };
    if ((disabledAt !== null) !== (user.disabledAt !== null)) changes.disabled = disabledAt !== null;
    if (patch.displayName !== undefined && patch.displayName !== user.displayName) changes.displayName = true;
    await appendAuditEvent(tx, {
      ...auditActorOf(by),
      action: changes.disabled === true ? 'user.disabled' : 'user.updated',
      subjectType: 'user',
      subjectId: id,
      details: { changes, sessionsEnded },
    });
  });
  return getUser(db, id);
}

/** Forgets the TOTP secret and ends every session: the user enrols again at next login. */
export async function resetTotp(db: Db, id: string, by: ChangedBy): Promise<void> {
  await db.transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, id)).for('update');
    if (!user) throw notFound('user');
    await tx
      .update(users)
      .set({ totpSecret: null, totpEnrolledAt: null, totpLastStep: null, updatedAt: new Date() })
      .where(eq(users.id, id));
    const sessionsEnded = await deleteUserSessions(tx, id);
    await tx.delete(loginChallenges).where(eq(loginChallenges.userId, id));
    await appendAuditEvent(tx, {
      ...auditActorOf(by),
      action: 'user.totp_reset',
      subjectType: 'user',
      subjectId: id,
      details: { sessionsEnded },
    });
  });
}

/** A new temporary password (returned once, must be changed at login), unlocks the account, ends its sessions. */
export async function resetPassword(
  db: Db,
  id: string,
  by: ChangedBy,
  passwordCost: PasswordCost = 'interactive',
  passwords: PasswordHasher = defaultPasswordHasher(),
): Promise<string> {
  const [existing] = await db.select({ username: users.username }).from(users).where(eq(users.id, id));
  if (!existing) throw notFound('user');
  let temporaryPassword = generateTemporaryPassword();
  while (passwordProblem(temporaryPassword, existing.username))
    temporaryPassword = generateTemporaryPassword();
  const passwordHash = await passwords.hash(temporaryPassword, passwordCost);
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(users)
      .set({
        passwordHash,
        mustChangePassword: true,
        failedLogins: 0,
        failedLoginsSince: null,
        lockedUntil: null,
        updatedAt: new Date(),
      })
      .where(eq(users.id, id))
      .returning({ id: users.id });
    if (updated.length === 0) throw notFound('user');
    const sessionsEnded = await deleteUserSessions(tx, id);
    await tx.delete(loginChallenges).where(eq(loginChallenges.userId, id));
    await tx.delete(loginFailures).where(eq(loginFailures.userId, id));
    await appendAuditEvent(tx, {
      ...auditActorOf(by),
      action: 'user.password_reset',
      subjectType: 'user',
      subjectId: id,
      details: { sessionsEnded },
    });
  });
  return temporaryPassword;
}
