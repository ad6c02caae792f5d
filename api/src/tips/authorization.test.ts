import { randomBytes, randomUUID } from 'node:crypto';
import { PERMISSIONS, type Permission, roleMay, type StaffRole } from '@tinbao/shared/permissions/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestUser, loginAgent } from '../auth/testing';
import { type AnyRouteSpec, isTipScoped } from '../openapi/route-spec';
import { askQuestion } from '../questions/service';
import { DEFAULT_RETENTION_POLICY } from '../retention/config';
import { placeLegalHold } from '../retention/service';
import { createRoutingRule } from '../routing/service';
import { createUnit } from '../units/service';
import {
  COMMUNE_A,
  createWorkflowHarness,
  harnessRouteSpecs,
  OTHER_PROVINCE,
  PERSONAS,
  type Persona,
  type WorkflowHarness,
} from './test-harness';
import { createTestTip } from './testing';

/** A fake JPEG: the route streams whatever bytes the sealed tip holds. */
const PHOTO_BYTES = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(64)]);

let h: WorkflowHarness;
let specs: AnyRouteSpec[];
const adminActor = () => ({
  userId: h.users.admin.id,
  role: 'admin' as const,
  unitId: null,
  provinceCode: null,
});

beforeAll(async () => {
  h = await createWorkflowHarness('pglite');
  specs = harnessRouteSpecs(h);
});
afterAll(async () => {
  await h?.destroy();
});

/** A fresh tip routed (not yet acknowledged) to unit A, with one photo. */
async function routedTip() {
  return createTestTip(h.database.db, h.orgKeys.publicKey, {
    communeCode: COMMUNE_A,
    status: 'routed',
    routedTo: [h.unitA],
    photos: [{ mimeType: 'image/jpeg', width: 4, height: 4, dataBase64: PHOTO_BYTES.toString('base64') }],
  });
}

interface Prepared {
  path: string;
  body?: unknown;
  /** The province the request asks about, for permissions with a province scope. */
  provinceCode?: string;
}

/** A staff account nobody logs in with, for the account operations to change. */
const spareUser = () => createTestUser(h.database.db, h.deps, { role: 'moderator' });

/** For each operation: a valid request (fresh data per call, so mutations do not interfere). */
const REQUESTS: Record<string, () => Promise<Prepared>> = {
  countTips: async () => ({ path: '/api/v1/tips/counts' }),
  listTips: async () => ({ path: '/api/v1/tips?status=routed&sort=deadline' }),
  getTip: async () => ({ path: `/api/v1/tips/${(await routedTip()).id}` }),
  getTipPhoto: async () => ({ path: `/api/v1/tips/${(await routedTip()).id}/photos/0` }),
  transitionTip: async () => ({
    path: `/api/v1/tips/${(await routedTip()).id}/transitions`,
    body: { action: 'acknowledge', unitId: h.unitA },
  }),
  listTipNotes: async () => ({ path: `/api/v1/tips/${(await routedTip()).id}/notes` }),
  addTipNote: async () => ({
    path: `/api/v1/tips/${(await routedTip()).id}/notes`,
    body: { body: 'Đã xác minh sơ bộ.' },
  }),
  extendTipDeadline: async () => ({
    path: `/api/v1/tips/${(await routedTip()).id}/deadline-extensions`,
    body: { days: 10, reason: 'Cần thêm thời gian xác minh.' },
  }),
  proposeUnits: async () => ({ path: `/api/v1/tips/${(await routedTip()).id}/routing-proposals` }),
  getTipTimeline: async () => ({ path: `/api/v1/tips/${(await routedTip()).id}/timeline` }),
  listTipQuestions: async () => ({ path: `/api/v1/tips/${(await routedTip()).id}/questions` }),
  askTipQuestion: async () => ({
    path: `/api/v1/tips/${(await routedTip()).id}/questions`,
    body: { text: 'Bạn có thể mô tả rõ hơn địa điểm không?' },
  }),
  withdrawTipQuestion: async () => {
    const tip = await routedTip();
    const question = await askQuestion(
      { db: h.database.db, orgKeys: h.orgKeys, officersMayAsk: true },
      adminActor(),
      tip.id,
      'Việc này thường diễn ra vào giờ nào?',
    );
    return { path: `/api/v1/tips/${tip.id}/questions/${question.id}/withdraw` };
  },
  getReceiptStatus: async () => ({ path: `/api/v1/receipts/${(await routedTip()).receiptCode}` }),
  listUnits: async () => ({ path: '/api/v1/units?q=dak%20rong' }),
  getUnit: async () => ({ path: `/api/v1/units/${h.unitB}` }),
  createUnit: async () => ({
    path: '/api/v1/units',
    body: {
      code: `BP-${randomBytes(3).toString('hex').toUpperCase()}`,
      name: 'Đồn Biên phòng La Lay',
      kind: 'border_guard',
    },
  }),
  updateUnit: async () => ({
    path: `/api/v1/units/${h.unitB}`,
    body: { notificationTargets: [{ channel: 'telegram', address: '-1001234567890' }] },
  }),
  setUnitCommunes: async () => {
    const unit = await createUnit(h.database.db, adminActor(), {
      code: `SP-${randomBytes(3).toString('hex').toUpperCase()}`,
      name: 'Phòng Cảnh sát điều tra tội phạm về ma túy',
      kind: 'specialised',
    });
    return { path: `/api/v1/units/${unit.id}/communes`, body: { communeCodes: [COMMUNE_A, h.communeB] } };
  },
  listProvinces: async () => ({ path: '/api/v1/admin-units/provinces' }),
  listCommunes: async () => ({ path: '/api/v1/admin-units/communes?provinceCode=44&q=dakrong' }),
  searchCommunePlaces: async () => ({ path: '/api/v1/places/communes?q=thi%20tran%20lao%20bao&province=44' }),
  listRoutingRules: async () => ({ path: '/api/v1/routing-rules' }),
  createRoutingRule: async () => ({
    path: '/api/v1/routing-rules',
    body: { name: 'Biên giới → đồn biên phòng', unitId: h.unitB, borderAreaOnly: true },
  }),
  updateRoutingRule: async () => {
    const rule = await createRoutingRule(h.database.db, adminActor(), {
      name: 'rule',
      unitId: h.unitB,
      enabled: true,
      provinceCode: null,
      communeCode: null,
      category: 'trong_cay',
      venueType: null,
      borderAreaOnly: false,
    });
    return { path: `/api/v1/routing-rules/${rule.id}`, body: { enabled: false } };
  },
  deleteRoutingRule: async () => {
    const rule = await createRoutingRule(h.database.db, adminActor(), {
      name: 'rule',
      unitId: h.unitB,
      enabled: true,
      provinceCode: '44',
      communeCode: null,
      category: null,
      venueType: null,
      borderAreaOnly: false,
    });
    return { path: `/api/v1/routing-rules/${rule.id}` };
  },
  addBorderCommune: async () => ({ path: `/api/v1/border-communes/${h.communeB}` }),
  removeBorderCommune: async () => ({ path: `/api/v1/border-communes/${h.communeB}` }),
  getStats: async () => ({ path: '/api/v1/stats?provinceCode=44', provinceCode: '44' }),
  exportStatsCsv: async () => ({ path: '/api/v1/stats/export.csv' }),
  listUsers: async () => ({ path: '/api/v1/users' }),
  createUser: async () => ({
    path: '/api/v1/users',
    body: { username: `mod-${randomBytes(4).toString('hex')}`, role: 'moderator' },
  }),
  getUser: async () => ({ path: `/api/v1/users/${h.users.moderator.id}` }),
  updateUser: async () => ({
    path: `/api/v1/users/${(await spareUser()).id}`,
    body: { displayName: 'Cán bộ tiếp nhận' },
  }),
  resetUserTotp: async () => ({ path: `/api/v1/users/${(await spareUser()).id}/reset-2fa` }),
  resetUserPassword: async () => ({ path: `/api/v1/users/${(await spareUser()).id}/reset-password` }),
  getRetentionPreview: async () => ({ path: '/api/v1/retention/preview?limit=5' }),
  listLegalHolds: async () => ({ path: '/api/v1/retention/holds' }),
  getTipRetention: async () => ({ path: `/api/v1/tips/${(await routedTip()).id}/retention` }),
  placeLegalHold: async () => ({
    path: `/api/v1/tips/${(await routedTip()).id}/legal-hold`,
    body: { reason: 'Vụ án số 7/2025: giữ nguyên chứng cứ' },
  }),
  releaseLegalHold: async () => {
    const tip = await routedTip();
    await placeLegalHold(
      { db: h.database.db, policy: DEFAULT_RETENTION_POLICY },
      adminActor(),
      tip.id,
      'Vụ án số 8/2025',
    );
    return { path: `/api/v1/tips/${tip.id}/legal-hold` };
  },
};

const ROLE_OF: Record<Exclude<Persona, 'anonymous'>, StaffRole> = {
  admin: 'admin',
  moderator: 'moderator',
  moderatorOtherProvince: 'moderator',
  officerRouted: 'unit_officer',
  officerOther: 'unit_officer',
};

const PROVINCE_OF: Partial<Record<Persona, string>> = { moderatorOtherProvince: OTHER_PROVINCE };

/** What is wrong with the specs' permission entries: a route without one fails the matrix. */
function permissionProblems(list: AnyRouteSpec[]): string[] {
  return list.flatMap((spec) => {
    const permission = (spec as { permission?: unknown }).permission;
    if (permission === 'public') return [];
    if (typeof permission !== 'string')
      return [`${spec.operationId}: no permission entry in the shared model`];
    if (!Object.hasOwn(PERMISSIONS, permission))
      return [`${spec.operationId}: permission ${permission} is not in the shared model`];
    return [];
  });
}

/** The intended answer, read from the shared permission model (roles, then scope). */
function expectedStatus(spec: AnyRouteSpec, persona: Persona, prepared: Prepared): number {
  const problems = permissionProblems([spec]);
  if (problems.length > 0) throw new Error(problems.join('; '));
  const success = spec.successStatus ?? 200;
  if (spec.permission === 'public') return success;
  if (persona === 'anonymous') return 401;
  const permission = spec.permission as Permission;
  if (!roleMay(ROLE_OF[persona], permission)) return 403;
  // Another unit's officer learns nothing about the tip: 404, exactly as for a tip that does not exist.
  // So does a moderator limited to another province.
  if (isTipScoped(spec) && (persona === 'officerOther' || persona === 'moderatorOtherProvince')) return 404;
  // A province scope: a province moderator asking about another province is refused.
  const own = PROVINCE_OF[persona];
  if (
    PERMISSIONS[permission].scope === 'province' &&
    own &&
    prepared.provinceCode &&
    prepared.provinceCode !== own
  )
    return 403;
  return success;
}

function send(persona: Persona, spec: AnyRouteSpec, prepared: Prepared) {
  const agent = h.agents[persona];
  const request = agent[spec.method](prepared.path);
  return prepared.body === undefined ? request : request.send(prepared.body as object);
}

describe('authorisation matrix: every route x every persona', () => {
  it('has a request for every registered operation', () => {
    expect(Object.keys(REQUESTS).sort()).toEqual(specs.map((spec) => spec.operationId).sort());
  });

  it('finds a permission entry in the shared model for every route', () => {
    expect(permissionProblems(specs)).toEqual([]);
  });

  it('fails for a route without a permission entry, or with one the model lacks (the test of the test)', () => {
    const base = specs.find((spec) => spec.operationId === 'getTip')!;
    const unlisted = { ...base, operationId: 'unlisted', permission: undefined } as unknown as AnyRouteSpec;
    const unknown = { ...base, operationId: 'unknown', permission: 'tips.erase' } as unknown as AnyRouteSpec;
    expect(permissionProblems([unlisted, unknown])).toEqual([
      'unlisted: no permission entry in the shared model',
      'unknown: permission tips.erase is not in the shared model',
    ]);
    expect(() => expectedStatus(unlisted, 'admin', { path: '/' })).toThrow('no permission entry');
  });

  const matrix = () =>
    specs.flatMap((spec) =>
      PERSONAS.map((persona) => ({ spec, persona, name: `${spec.method.toUpperCase()} ${spec.path}` })),
    );

  it('answers each persona as intended', async () => {
    const table: string[] = [];
    const failures: string[] = [];
    for (const { spec, persona, name } of matrix()) {
      const prepared = await REQUESTS[spec.operationId]!();
      const response = await send(persona, spec, prepared);
      const expected = expectedStatus(spec, persona, prepared);
      table.push(`${name.padEnd(44)} ${persona.padEnd(14)} ${response.status}`);
      if (response.status !== expected) {
        failures.push(
          `${name} as ${persona}: expected ${expected}, got ${response.status} ${JSON.stringify(response.body)}`,
        );
        continue;
      }
      if (expected >= 400) {
        expect(response.body).toMatchObject({
          ok: false,
          error: expect.any(String),
          message: expect.any(String),
        });
      } else if (spec.response instanceof z.ZodType) {
        // The answer matches the schema the UI types itself with (and the OpenAPI document shows).
        const parsed = spec.response.safeParse(response.body);
        if (!parsed.success)
          failures.push(`${name} as ${persona}: response off schema: ${parsed.error.message}`);
      } else {
        expect(response.headers['content-type']).toContain(spec.response.contentType);
        expect(response.headers['cache-control']).toBe('no-store');
      }
    }
    expect(failures).toEqual([]);
    expect(table.length).toBe(specs.length * PERSONAS.length);
  });

  it('a photo is the decrypted bytes, not cacheable', async () => {
    const tip = await routedTip();
    const response = await h.agents.officerRouted.get(`/api/v1/tips/${tip.id}/photos/0`).buffer(true);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('image/jpeg');
    expect(Buffer.compare(response.body as Buffer, PHOTO_BYTES)).toBe(0);
    expect((await h.agents.officerRouted.get(`/api/v1/tips/${tip.id}/photos/1`)).status).toBe(404);
  });

  it("another unit's officer cannot tell its tips from tips that do not exist", async () => {
    const tip = await routedTip();
    for (const id of [tip.id, randomUUID()]) {
      for (const path of [
        `/tips/${id}`,
        `/tips/${id}/notes`,
        `/tips/${id}/timeline`,
        `/tips/${id}/photos/0`,
      ]) {
        const response = await h.agents.officerOther.get(`/api/v1${path}`);
        expect(response.status).toBe(404);
        expect(response.body).toEqual({ ok: false, error: 'not_found', message: 'tip not found' });
      }
      for (const body of [{ action: 'acknowledge' }, { action: 'validate' }]) {
        const response = await h.agents.officerOther.post(`/api/v1/tips/${id}/transitions`).send(body);
        expect(response.status).toBe(404);
      }
    }
    const list = await h.agents.officerOther.get('/api/v1/tips?limit=100');
    expect(list.body.items.map((item: { id: string }) => item.id)).not.toContain(tip.id);
    const counts = await h.agents.officerOther.get('/api/v1/tips/counts');
    expect(counts.body.total).toBe(0);
    const mine = await h.agents.officerRouted.get('/api/v1/tips?limit=100');
    expect(mine.body.items.map((item: { id: string }) => item.id)).toContain(tip.id);
  });

  it("a moderator of another province cannot tell this province's tips from tips that do not exist", async () => {
    const tip = await routedTip();
    const agent = h.agents.moderatorOtherProvince;
    for (const id of [tip.id, randomUUID()]) {
      for (const path of [
        `/tips/${id}`,
        `/tips/${id}/notes`,
        `/tips/${id}/timeline`,
        `/tips/${id}/photos/0`,
        `/tips/${id}/routing-proposals`,
      ]) {
        const response = await agent.get(`/api/v1${path}`);
        expect(response.status, path).toBe(404);
        expect(response.body).toEqual({ ok: false, error: 'not_found', message: 'tip not found' });
      }
      for (const body of [{ action: 'acknowledge' }, { action: 'validate' }]) {
        const response = await agent.post(`/api/v1/tips/${id}/transitions`).send(body);
        expect(response.status).toBe(404);
      }
      const note = await agent.post(`/api/v1/tips/${id}/notes`).send({ body: 'ghi chú' });
      expect(note.status).toBe(404);
    }
    const list = await agent.get('/api/v1/tips?limit=100');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
    const filtered = await agent.get('/api/v1/tips?limit=100&provinceCode=44');
    expect(filtered.body.items).toEqual([]);
    const counts = await agent.get('/api/v1/tips/counts');
    expect(counts.body.total).toBe(0);
    expect(counts.body.overdue).toBe(0);
    // The nationwide moderator still sees it.
    const all = await h.agents.moderator.get('/api/v1/tips?limit=100');
    expect(all.body.items.map((item: { id: string }) => item.id)).toContain(tip.id);
    const own = await agent.get('/api/v1/stats');
    expect(own.status).toBe(200);
    expect(own.body.byStatus.reduce((sum: number, row: { count: number }) => sum + row.count, 0)).toBe(0);
  });

  it('the routed officer may acknowledge and report, never validate, reject or route (403)', async () => {
    const tip = await routedTip();
    for (const body of [
      { action: 'validate' },
      { action: 'reject', reason: 'spam' },
      { action: 'route', unitIds: [h.unitB] },
      { action: 'close' },
    ]) {
      const response = await h.agents.officerRouted.post(`/api/v1/tips/${tip.id}/transitions`).send(body);
      expect(response.status).toBe(403);
    }
    const ack = await h.agents.officerRouted
      .post(`/api/v1/tips/${tip.id}/transitions`)
      .send({ action: 'acknowledge' });
    expect(ack.status).toBe(200);
    // Who acknowledged is a staff id: the moderators read it, an officer is sent the time only.
    expect(ack.body.tip.routes[0].acknowledgedAt).toEqual(expect.any(String));
    expect(ack.body.tip.routes[0]).not.toHaveProperty('acknowledgedBy');
    const seen = await h.agents.moderator.get(`/api/v1/tips/${tip.id}`);
    expect(seen.body.tip.routes[0].acknowledgedBy).toBe(h.users.officerRouted.id);
    const illegal = await h.agents.officerRouted
      .post(`/api/v1/tips/${tip.id}/transitions`)
      .send({ action: 'acknowledge' });
    expect(illegal.status).toBe(409);
    expect(illegal.body).toMatchObject({
      ok: false,
      error: 'already_acknowledged',
      allowed: ['report_outcome'],
    });
  });

  it('every state-changing route refuses a request without the CSRF token', async () => {
    const { agent } = await loginAgent(h.app, h.users.admin, { csrf: false });
    for (const spec of specs.filter((s) => s.method !== 'get' && s.permission !== 'public')) {
      const prepared = await REQUESTS[spec.operationId]!();
      const request = agent[spec.method](prepared.path);
      const response = await (prepared.body === undefined ? request : request.send(prepared.body as object));
      expect(response.status, `${spec.method} ${spec.path}`).toBe(403);
      expect(response.body.error).toBe('csrf_failed');
    }
  });
});
