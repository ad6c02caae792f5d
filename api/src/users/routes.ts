import {
  CreateUserRequestSchema,
  UpdateUserRequestSchema,
  UserIdParamsSchema,
} from '@tinbao/shared/api/users';
import { Router } from 'express';
import { type AuthDeps, authenticate, csrfProtection, getAuth, requireRole } from '../auth/middleware';
import type { PasswordCost } from '../auth/passwords';
import { validate, validated } from '../platform/validate';
import { type Actor, createUser, getUser, listUsers, resetPassword, resetTotp, updateUser } from './service';

export interface UsersRouterDeps extends AuthDeps {
  passwordCost?: PasswordCost;
}

const createSchemas = { body: CreateUserRequestSchema };
const idSchemas = { params: UserIdParamsSchema };
const updateSchemas = { params: UserIdParamsSchema, body: UpdateUserRequestSchema };

/** /api/v1/users: staff accounts, admin only (authenticate → CSRF → role → validate → handler). */
export function usersRouter(deps: UsersRouterDeps): Router {
  const router = Router();
  router.use('/api/v1/users', authenticate(deps), csrfProtection(), requireRole('admin'));
  const actorOf = (res: Parameters<typeof getAuth>[0]): Actor => ({
    actorType: 'user',
    actorId: getAuth(res).userId,
  });
  const db = deps.database.db;

  router.get('/api/v1/users', async (_req, res) => {
    res.json({ ok: true, users: await listUsers(db) });
  });

  router.post('/api/v1/users', validate(createSchemas), async (_req, res) => {
    const { body } = validated(res, createSchemas);
    const created = await createUser(
      db,
      { username: body.username, displayName: body.displayName, role: body.role, unitId: body.unitId },
      actorOf(res),
      deps.passwordCost,
    );
    res.status(201).json({ ok: true, user: created.user, temporaryPassword: created.temporaryPassword });
  });

  router.get('/api/v1/users/:id', validate(idSchemas), async (_req, res) => {
    const { params } = validated(res, idSchemas);
    res.json({ ok: true, user: await getUser(db, params.id) });
  });

  router.patch('/api/v1/users/:id', validate(updateSchemas), async (_req, res) => {
    const { params, body } = validated(res, updateSchemas);
    res.json({ ok: true, user: await updateUser(db, params.id, body, actorOf(res)) });
  });

  router.post('/api/v1/users/:id/reset-2fa', validate(idSchemas), async (_req, res) => {
    const { params } = validated(res, idSchemas);
    await resetTotp(db, params.id, actorOf(res));
    res.json({ ok: true });
  });

  router.post('/api/v1/users/:id/reset-password', validate(idSchemas), async (_req, res) => {
    const { params } = validated(res, idSchemas);
    const temporaryPassword = await resetPassword(db, params.id, actorOf(res), deps.passwordCost);
    res.json({ ok: true, temporaryPassword });
  });

  return router;
}
