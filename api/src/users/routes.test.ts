import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/passwords';
import { type AuthHarness, createAuthHarness } from '../auth/test-harness';
import { createTestUser, loginAgent, type TestAgent, type TestUser } from '../auth/testing';
import { adminUnits, auditEvents, users } from '../platform/schema';
import { ENGINES } from '../platform/test-database';

type Who = 'anonymous' | 'moderator' | 'unit_officer' | 'admin';

describe.each(ENGINES)('users API on %s', (engine) => {
  let h: AuthHarness;
  let unitId: string;
  let otherUnitId: string;
  let admin: TestUser;
  let adminAgent: TestAgent;
  const agents = {} as Record<Who, TestAgent>;

  beforeAll(async () => {
    h = await createAuthHarness(engine);
    unitId = await h.createUnit();
    otherUnitId = await h.createUnit();
    admin = await createTestUser(h.database.db, h.deps, { role: 'admin' });
    const moderator = await createTestUser(h.database.db, h.deps, { role: 'moderator' });
    const officer = await createTestUser(h.database.db, h.deps, { role: 'unit_officer', unitId });
    adminAgent = (await loginAgent(h.app, admin)).agent;
    agents.admin = adminAgent;
    agents.moderator = (await loginAgent(h.app, moderator)).agent;
    agents.unit_officer = (await loginAgent(h.app, officer)).agent;
    agents.anonymous = supertest.agent(h.app);
  });
  afterAll(async () => {
    await h?.destroy();
  });

  const auditFor = async (userId: string) =>
    (await h.database.db.select().from(auditEvents).where(eq(auditEvents.subjectId, userId))).map(
      (e) => e.action,
    );

  describe('authorisation matrix', () => {
    // Each case builds its own target so destructive admin calls do not disturb the others.
    const routes: {
      name: string;
      call: (agent: TestAgent, target: TestUser) => supertest.Test;
      adminStatus: number;
    }[] = [
      { name: 'GET /users', call: (a) => a.get('/api/v1/users'), adminStatus: 200 },
      {
        name: 'POST /users',
        call: (a) =>
          a.post('/api/v1/users').send({ username: `new-${randomUUID().slice(0, 8)}`, role: 'moderator' }),
        adminStatus: 201,
      },
      { name: 'GET /users/:id', call: (a, t) => a.get(`/api/v1/users/${t.id}`), adminStatus: 200 },
      {
        name: 'PATCH /users/:id',
        call: (a, t) => a.patch(`/api/v1/users/${t.id}`).send({ displayName: 'Cán bộ mới' }),
        adminStatus: 200,
      },
      {
        name: 'POST /users/:id/reset-2fa',
        call: (a, t) => a.post(`/api/v1/users/${t.id}/reset-2fa`),
        adminStatus: 200,
      },
      {
        name: 'POST /users/:id/reset-password',
        call: (a, t) => a.post(`/api/v1/users/${t.id}/reset-password`),
        adminStatus: 200,
      },
    ];
    const expected: Record<Who, (adminStatus: number) => number> = {
      anonymous: () => 401,
      moderator: () => 403,
      unit_officer: () => 403,
      admin: (status) => status,
    };
    for (const route of routes) {
      for (const who of ['anonymous', 'moderator', 'unit_officer', 'admin'] as Who[]) {
        it(`${route.name} as ${who} → ${expected[who](route.adminStatus)}`, async () => {
          const target = await createTestUser(h.database.db, h.deps, { role: 'moderator' });
          const before = await h.database.db.select().from(users).where(eq(users.id, target.id));
          const res = await route.call(agents[who], target);
          expect(res.status).toBe(expected[who](route.adminStatus));
          if (who !== 'admin') {
            expect(res.body.ok).toBe(false);
            // Denied calls change nothing.
            expect(await h.database.db.select().from(users).where(eq(users.id, target.id))).toEqual(before);
          }
        });
      }
    }
  });

  it('never returns password hashes or TOTP secrets', async () => {
    const res = await adminAgent.get('/api/v1/users').expect(200);
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/argon2|passwordHash|totpSecret/);
    expect(res.body.users.length).toBeGreaterThanOrEqual(3);
    expect(Object.keys(res.body.users[0]).sort()).toEqual(
      [
        'createdAt',
        'disabled',
        'displayName',
        'id',
        'lastLoginAt',
        'lockedUntil',
        'mustChangePassword',
        'provinceCode',
        'role',
        'totpEnrolled',
        'unitCode',
        'unitId',
        'username',
      ].sort(),
    );
  });

  it('creates a user with a one-time temporary password; they enrol at first login', async () => {
    const created = await adminAgent
      .post('/api/v1/users')
      .send({ username: 'Officer.Hoa', displayName: 'Nguyễn Thị Hoà', role: 'unit_officer', unitId })
      .expect(201);
    expect(created.body.user).toMatchObject({
      username: 'officer.hoa',
      displayName: 'Nguyễn Thị Hoà'.normalize('NFC'),
      role: 'unit_officer',
      unitId,
      totpEnrolled: false,
      disabled: false,
      mustChangePassword: true,
    });
    expect(created.body.temporaryPassword).toMatch(/^[\w]{5}-[\w]{5}-[\w]{5}-[\w]{5}$/);
    const login = await supertest(h.app)
      .post('/api/v1/auth/login')
      .send({ username: 'officer.hoa', password: created.body.temporaryPassword })
      .expect(200);
    expect(login.body.next).toBe('enroll');
    expect(await auditFor(created.body.user.id)).toEqual(['user.created']);
    const [event] = await h.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.subjectId, created.body.user.id));
    expect(event).toMatchObject({ actorType: 'user', actorId: admin.id });
    expect(JSON.stringify(event?.details)).not.toContain(created.body.temporaryPassword);
  });

  it('refuses inconsistent role and unit, unknown units and duplicate usernames', async () => {
    const bad = [
      { username: 'nounit1', role: 'unit_officer' },
      { username: 'withunit1', role: 'moderator', unitId },
      { username: 'x', role: 'moderator' },
      { username: 'okname1', role: 'superuser' },
      { username: 'okname2', role: 'moderator', displayName: 'a\u0000b' },
    ];
    for (const body of bad) {
      const res = await adminAgent.post('/api/v1/users').send(body).expect(400);
      expect(res.body.error).toBe('invalid_request');
    }
    const unknown = await adminAgent
      .post('/api/v1/users')
      .send({ username: 'ghostunit', role: 'unit_officer', unitId: randomUUID() })
      .expect(400);
    expect(unknown.body.error).toBe('unknown_unit');
    await adminAgent.post('/api/v1/users').send({ username: 'dup-user', role: 'moderator' }).expect(201);
    const dup = await adminAgent
      .post('/api/v1/users')
      .send({ username: 'DUP-user', role: 'moderator' })
      .expect(409);
    expect(dup.body.error).toBe('username_taken');
  });

  it('enforces "a unit officer has exactly one unit" in the database too', async () => {
    const passwordHash = await hashPassword('irrelevant password', 'test');
    await expect(
      h.database.db
        .insert(users)
        .values({ username: 'check-1', displayName: 'x', role: 'unit_officer', passwordHash }),
    ).rejects.toThrow();
    await expect(
      h.database.db
        .insert(users)
        .values({ username: 'check-2', displayName: 'x', role: 'admin', unitId, passwordHash }),
    ).rejects.toThrow();
  });

  it('limits a moderator to one province; admins and unit officers cannot have one', async () => {
    await h.database.db
      .insert(adminUnits)
      .values({
        code: '44',
        level: 'province',
        name: 'Tỉnh Quảng Trị',
        unitType: 'Tỉnh',
        parentCode: null,
        searchKey: 'tinhquangtri',
      })
      .onConflictDoNothing();
    for (const body of [
      { username: 'prov-admin', role: 'admin', provinceCode: '44' },
      { username: 'prov-officer', role: 'unit_officer', unitId, provinceCode: '44' },
      { username: 'prov-bad', role: 'moderator', provinceCode: '4' },
    ]) {
      const res = await adminAgent.post('/api/v1/users').send(body).expect(400);
      expect(res.body.error).toBe('invalid_request');
    }
    const unknown = await adminAgent
      .post('/api/v1/users')
      .send({ username: 'prov-unknown', role: 'moderator', provinceCode: '99' })
      .expect(400);
    expect(unknown.body.error).toBe('unknown_province');
    const created = await adminAgent
      .post('/api/v1/users')
      .send({ username: 'prov-mod', role: 'moderator', provinceCode: '44' })
      .expect(201);
    expect(created.body.user).toMatchObject({ role: 'moderator', provinceCode: '44' });
    const id = created.body.user.id as string;
    // PATCH: a province on an admin is refused; leaving moderator clears it; null = nationwide.
    await adminAgent.patch(`/api/v1/users/${id}`).send({ role: 'admin', provinceCode: '44' }).expect(400);
    const nationwide = await adminAgent.patch(`/api/v1/users/${id}`).send({ provinceCode: null }).expect(200);
    expect(nationwide.body.user.provinceCode).toBeNull();
    await adminAgent.patch(`/api/v1/users/${id}`).send({ provinceCode: '44' }).expect(200);
    const asAdmin = await adminAgent.patch(`/api/v1/users/${id}`).send({ role: 'admin' }).expect(200);
    expect(asAdmin.body.user).toMatchObject({ role: 'admin', provinceCode: null });
    const onAdmin = await adminAgent.patch(`/api/v1/users/${id}`).send({ provinceCode: '44' }).expect(400);
    expect(onAdmin.body.error).toBe('invalid_request');
    // The database refuses it too.
    const passwordHash = await hashPassword('irrelevant password', 'test');
    await expect(
      h.database.db.insert(users).values({
        username: 'prov-check',
        displayName: 'x',
        role: 'admin',
        provinceCode: '44',
        passwordHash,
      }),
    ).rejects.toThrow();
  });

  it('changes role and unit, keeping them consistent', async () => {
    const user = await createTestUser(h.database.db, h.deps, { role: 'moderator' });
    await adminAgent.patch(`/api/v1/users/${user.id}`).send({ role: 'unit_officer' }).expect(400);
    const asOfficer = await adminAgent
      .patch(`/api/v1/users/${user.id}`)
      .send({ role: 'unit_officer', unitId })
      .expect(200);
    expect(asOfficer.body.user).toMatchObject({ role: 'unit_officer', unitId });
    const moved = await adminAgent
      .patch(`/api/v1/users/${user.id}`)
      .send({ unitId: otherUnitId })
      .expect(200);
    expect(moved.body.user.unitId).toBe(otherUnitId);
    // A session sees the new role at once (roles are read per request).
    const { agent } = await loginAgent(h.app, user);
    await agent.get('/api/v1/users').expect(403);
    const back = await adminAgent.patch(`/api/v1/users/${user.id}`).send({ role: 'admin' }).expect(200);
    expect(back.body.user).toMatchObject({ role: 'admin', unitId: null });
    await agent.get('/api/v1/users').expect(200);
    await adminAgent.patch(`/api/v1/users/${user.id}`).send({ unitId }).expect(400);
    await adminAgent.patch(`/api/v1/users/${user.id}`).send({}).expect(400);
    await adminAgent.patch(`/api/v1/users/${user.id}`).send({ password: 'x' }).expect(400);
    await adminAgent.patch(`/api/v1/users/${randomUUID()}`).send({ displayName: 'x' }).expect(404);
    await adminAgent.patch('/api/v1/users/not-a-uuid').send({ displayName: 'x' }).expect(400);
    const actions = await auditFor(user.id);
    expect(actions.filter((a) => a === 'user.updated')).toHaveLength(3);
  });

  it('disabling ends the sessions and blocks login; enabling restores it', async () => {
    const user = await createTestUser(h.database.db, h.deps, { role: 'moderator' });
    const { agent } = await loginAgent(h.app, user);
    await agent.get('/api/v1/auth/me').expect(200);
    const res = await adminAgent.patch(`/api/v1/users/${user.id}`).send({ disabled: true }).expect(200);
    expect(res.body.user.disabled).toBe(true);
    await agent.get('/api/v1/auth/me').expect(401);
    await supertest(h.app)
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: user.password })
      .expect(401, { ok: false, error: 'invalid_credentials', message: 'wrong username, password or code' });
    await adminAgent.patch(`/api/v1/users/${user.id}`).send({ disabled: false }).expect(200);
    await loginAgent(h.app, user);
    expect(await auditFor(user.id)).toContain('user.disabled');
  });

  it('an admin cannot disable or demote themselves', async () => {
    const res = await adminAgent.patch(`/api/v1/users/${admin.id}`).send({ disabled: true }).expect(409);
    expect(res.body.error).toBe('cannot_change_own_account');
    await adminAgent.patch(`/api/v1/users/${admin.id}`).send({ role: 'moderator' }).expect(409);
    await adminAgent.patch(`/api/v1/users/${admin.id}`).send({ displayName: 'Quản trị' }).expect(200);
  });

  it('2FA reset ends the sessions and makes the user enrol again', async () => {
    const user = await createTestUser(h.database.db, h.deps, { role: 'moderator' });
    const { agent } = await loginAgent(h.app, user);
    await adminAgent.post(`/api/v1/users/${user.id}/reset-2fa`).expect(200, { ok: true });
    await agent.get('/api/v1/auth/me').expect(401);
    const login = await supertest(h.app)
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: user.password })
      .expect(200);
    expect(login.body.next).toBe('enroll');
    expect(await auditFor(user.id)).toContain('user.totp_reset');
  });

  it('password reset returns a temporary password once, unlocks, ends sessions', async () => {
    const user = await createTestUser(h.database.db, h.deps, { role: 'moderator' });
    const { agent } = await loginAgent(h.app, user);
    await h.database.db
      .update(users)
      .set({ lockedUntil: new Date(h.clock.now.getTime() + 600_000) })
      .where(eq(users.id, user.id));
    const res = await adminAgent.post(`/api/v1/users/${user.id}/reset-password`).expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['ok', 'temporaryPassword']);
    await agent.get('/api/v1/auth/me').expect(401);
    await supertest(h.app)
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: user.password })
      .expect(401);
    await supertest(h.app)
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: res.body.temporaryPassword })
      .expect(200);
    const list = await adminAgent.get(`/api/v1/users/${user.id}`).expect(200);
    expect(list.body.user.lockedUntil).toBeNull();
    expect(list.body.user.mustChangePassword).toBe(true);
    expect(await auditFor(user.id)).toContain('user.password_reset');
  });

  it('state-changing admin calls need the CSRF token', async () => {
    const { agent } = await loginAgent(h.app, admin, { csrf: false });
    await agent.get('/api/v1/users').expect(200);
    const res = await agent
      .post('/api/v1/users')
      .send({ username: 'csrf-test', role: 'moderator' })
      .expect(403);
    expect(res.body.error).toBe('csrf_failed');
    await agent.patch(`/api/v1/users/${admin.id}`).send({ displayName: 'x' }).expect(403);
    await agent.post(`/api/v1/users/${admin.id}/reset-2fa`).expect(403);
    const [row] = await h.database.db.select().from(users).where(eq(users.username, 'csrf-test'));
    expect(row).toBeUndefined();
  });
});
