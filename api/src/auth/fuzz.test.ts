import type { Server } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from './sessions';
import { type AuthHarness, createAuthHarness } from './test-harness';
import { createTestUser, loginAgent, type TestUser } from './testing';

/**
 * Thousands of arbitrary inputs to every auth and users endpoint over real HTTP: the answer
 * is always a JSON `{ ok }` body with a status below 500, and the server keeps serving.
 */
// ~8000 cases, ~20 s of CPU; the per-test timeout leaves room for a busy machine.
describe('fuzzing the auth and users endpoints (PostgreSQL)', { timeout: 180_000 }, () => {
  let h: AuthHarness;
  let server: Server;
  let base: string;
  let admin: TestUser;
  let moderator: TestUser;
  let adminHeaders: Record<string, string>;
  let statuses: Map<number, number>;

  beforeAll(async () => {
    h = await createAuthHarness('postgres');
    server = await new Promise<Server>((resolve) => {
      const s = h.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    admin = await createTestUser(h.database.db, h.deps, { role: 'admin' });
    moderator = await createTestUser(h.database.db, h.deps, { role: 'moderator' });
    const { csrfToken, sessionToken } = await loginAgent(h.app, admin, { now: h.clock.now });
    adminHeaders = { cookie: `${SESSION_COOKIE}=${sessionToken}`, 'x-csrf-token': csrfToken };
    statuses = new Map();
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await h?.destroy();
  });

  async function send(
    method: string,
    path: string,
    body: string | undefined,
    headers: Record<string, string> = {},
  ): Promise<void> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body }),
    });
    const text = await res.text();
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (res.status >= 500) throw new Error(`${method} ${path} → ${res.status} ${text} for body ${body}`);
    const json = JSON.parse(text) as { ok?: unknown; error?: unknown };
    expect(typeof json.ok).toBe('boolean');
    if (json.ok === false) expect(typeof json.error).toBe('string');
  }

  // NUL and other control characters included on purpose: PostgreSQL text refuses NUL.
  const anyText = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.constantFrom('\u0000', 'a\u0000b', '\u0007\u001b[0m', '\ud800'),
  );
  const jsonBody = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    anyText, // often not JSON at all
  );
  const loginBody = fc.oneof(
    jsonBody,
    fc
      .record(
        {
          username: fc.oneof(
            anyText,
            fc.constantFrom('admin', 'ADMIN ', ''),
            fc.integer(),
            fc.constant(null),
          ),
          password: fc.oneof(anyText, fc.string({ maxLength: 2000 }), fc.array(fc.string())),
          extra: fc.jsonValue({ maxDepth: 1 }),
        },
        { requiredKeys: [] },
      )
      .map((v) => JSON.stringify(v)),
  );
  const codeBody = fc.oneof(
    jsonBody,
    fc
      .record(
        {
          challenge: fc.oneof(anyText, fc.stringMatching(/^[A-Za-z0-9_-]{43}$/)),
          code: fc.oneof(anyText, fc.stringMatching(/^\d{6}$/), fc.integer()),
        },
        { requiredKeys: [] },
      )
      .map((v) => JSON.stringify(v)),
  );
  const printable = fc.string({ maxLength: 120 });
  const idSegment = fc.oneof(
    fc.uuid(),
    anyText.map((s) => {
      try {
        return encodeURIComponent(s);
      } catch {
        return '%D8%00'; // a lone surrogate cannot be URI-encoded: send broken UTF-8 instead
      }
    }),
    fc.constantFrom('', '..', '%00', '%ZZ', 'null'),
  );
  const userBody = fc.oneof(
    jsonBody,
    fc
      .record(
        {
          username: fc.oneof(anyText, fc.stringMatching(/^[a-z0-9._-]{3,20}$/)),
          displayName: fc.oneof(anyText, fc.string({ unit: 'grapheme', maxLength: 120 })),
          role: fc.oneof(fc.constantFrom('admin', 'moderator', 'unit_officer'), anyText),
          unitId: fc.oneof(fc.uuid(), fc.constant(null), anyText),
          disabled: fc.oneof(fc.boolean(), anyText),
        },
        { requiredKeys: [] },
      )
      .map((v) => JSON.stringify(v)),
  );
  // ~1000 cases per endpoint: properties covering two or three endpoints run 2000.
  const runs = { numRuns: 1000 };
  const sharedRuns = { numRuns: 2000 };

  it('POST /auth/login', async () => {
    await fc.assert(
      fc.asyncProperty(loginBody, async (body) => send('POST', '/api/v1/auth/login', body)),
      runs,
    );
  });

  it('POST /auth/login/totp and /login/enroll', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('totp', 'enroll'), codeBody, async (step, body) =>
        send('POST', `/api/v1/auth/login/${step}`, body),
      ),
      sharedRuns,
    );
  });

  it('session cookie and CSRF header on /auth/me, /auth/logout, /auth/password', async () => {
    await fc.assert(
      fc.asyncProperty(
        printable,
        printable,
        fc.constantFrom('GET /api/v1/auth/me', 'POST /api/v1/auth/logout', 'POST /api/v1/auth/password'),
        jsonBody,
        async (cookie, csrf, route, body) => {
          const [method, path] = route.split(' ') as [string, string];
          await send(method, path, method === 'GET' ? undefined : body, {
            cookie: `${SESSION_COOKIE}=${cookie}`,
            'x-csrf-token': csrf,
          });
        },
      ),
      sharedRuns,
    );
  });

  it('POST /users and PATCH /users/:id as admin', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(idSegment, fc.constant(moderator.id)),
        userBody,
        fc.boolean(),
        async (id, body, create) => {
          if (create) await send('POST', '/api/v1/users', body, adminHeaders);
          else await send('PATCH', `/api/v1/users/${id}`, body, adminHeaders);
        },
      ),
      sharedRuns,
    );
  });

  it('GET /users/:id, reset-2fa and reset-password with arbitrary ids', async () => {
    await fc.assert(
      fc.asyncProperty(idSegment, fc.constantFrom('', '/reset-2fa', '/reset-password'), async (id, action) =>
        send(
          action ? 'POST' : 'GET',
          `/api/v1/users/${id}${action}`,
          action ? '{}' : undefined,
          adminHeaders,
        ),
      ),
      { numRuns: 1000 },
    );
    // Still serving, the admin's session still valid.
    await send('GET', '/api/v1/users', undefined, adminHeaders);
    expect([...statuses.keys()].every((status) => status < 500)).toBe(true);
    expect(statuses.get(400)).toBeGreaterThan(100);
  });
});
