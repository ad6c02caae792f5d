import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AnyRouteSpec } from '../openapi/route-spec';
import {
  COMMUNE_A,
  createWorkflowHarness,
  harnessRouteSpecs,
  type Persona,
  type WorkflowHarness,
} from './test-harness';
import { createTestTip } from './testing';

/**
 * Every endpoint's input, fuzzed: path parameters, query strings and JSON bodies built from
 * random values, from the values the schemas name (enums, real ids) and from hostile
 * strings. Whatever comes in, the answer is a JSON error or success, never a 500 or a crash.
 */
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 120);

let h: WorkflowHarness;
let specs: AnyRouteSpec[];
let knownIds: string[];
let knownCodes: string[];

beforeAll(async () => {
  h = await createWorkflowHarness('pglite');
  specs = harnessRouteSpecs(h);
  const tips = await Promise.all(
    (['new', 'in_review', 'validated', 'routed', 'acknowledged'] as const).map((status) =>
      createTestTip(h.database.db, h.orgKeys.publicKey, {
        status,
        communeCode: COMMUNE_A,
        ...(status === 'routed' || status === 'acknowledged' ? { routedTo: [h.unitA] } : {}),
      }),
    ),
  );
  knownIds = [...tips.map((t) => t.id), h.unitA, h.unitB];
  knownCodes = [...tips.map((t) => t.receiptCode), COMMUNE_A, h.communeB, '44', '01'];
}, 120_000);
afterAll(async () => {
  await h?.destroy();
});

const hostile = fc.constantFrom(
  '',
  ' ',
  '%',
  '%00',
  '..',
  '../../etc/passwd',
  "'; DROP TABLE tips; --",
  'null',
  'undefined',
  '-1',
  '1e309',
  'NaN',
  '9'.repeat(400),
  '\u0000',
  '\uD800',
  'Đakrông',
  'e\u0301',
  '__proto__',
  'constructor',
  '<script>alert(1)</script>',
);

const text = () =>
  fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary', maxLength: 50 }),
    hostile,
    fc.uuid(),
    fc.constantFrom(...knownIds),
    fc.constantFrom(...knownCodes),
  );

const scalar = () => fc.oneof(text(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const anyValue = () =>
  fc.oneof(scalar(), fc.array(scalar(), { maxLength: 4 }), fc.jsonValue({ maxDepth: 3 }));

type JsonSchema = {
  properties?: Record<string, JsonSchema>;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
};

/** Property names and the values the schema names for each (enums, consts), from its JSON Schema. */
function fieldsOf(schema: z.ZodType | undefined): Map<string, unknown[]> {
  const fields = new Map<string, unknown[]>();
  if (!schema) return fields;
  const visit = (node: JsonSchema | undefined, name?: string) => {
    if (!node) return;
    if (name !== undefined) {
      const values = fields.get(name) ?? [];
      if (node.enum) values.push(...node.enum);
      if (node.const !== undefined) values.push(node.const);
      if (node.items?.enum) values.push(node.items.enum, node.items.enum.slice(0, 1));
      fields.set(name, values);
    }
    for (const [key, child] of Object.entries(node.properties ?? {})) visit(child, key);
    for (const option of [...(node.oneOf ?? []), ...(node.anyOf ?? [])]) visit(option, name);
  };
  visit(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema);
  return fields;
}

/** Objects with the schema's keys (any subset), named or random values, plus stray keys. */
function objectFor(schema: z.ZodType | undefined) {
  const fields = fieldsOf(schema);
  const entries = [...fields.entries()].map(([key, values]) =>
    fc.tuple(fc.constant(key), values.length ? fc.oneof(fc.constantFrom(...values), anyValue()) : anyValue()),
  );
  return fc
    .tuple(
      entries.length ? fc.subarray(entries).chain((picked) => fc.tuple(...picked)) : fc.constant([]),
      fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), hostile), anyValue(), { maxKeys: 2 }),
    )
    .map(([known, extra]) => ({ ...extra, ...Object.fromEntries(known as [string, unknown][]) }));
}

/** Percent-encodes; a lone surrogate becomes its invalid UTF-8 bytes, which the server must refuse cleanly. */
function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
}

/**
 * What a client would put in a URL for any generated value. Not String(): a generated
 * `{ toString: null }` makes it throw in the test instead of reaching the server.
 */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

function pathFor(spec: AnyRouteSpec, params: Record<string, unknown>): string {
  return `/api/v1${spec.path.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeSegment(asText(params[name])))}`;
}

function queryString(query: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      search.append(key, asText(item));
    }
  }
  const rendered = search.toString();
  return rendered ? `?${rendered}` : '';
}

// Fixed in CI; FUZZ_SEED=<seed> replays a failure reported by fast-check.
const seed = process.env.FUZZ_SEED
  ? { seed: Number(process.env.FUZZ_SEED) }
  : process.env.CI
    ? { seed: 20261202 }
    : {};

describe('fuzzing every endpoint', () => {
  it('covers every registered operation', () => {
    expect(specs.length).toBeGreaterThanOrEqual(26);
  });

  it('never answers 500, whatever the input', { timeout: 600_000 }, async () => {
    let cases = 0;
    const statuses = new Map<number, number>();
    for (const spec of specs) {
      const persona: Persona = spec.permission === 'public' ? 'anonymous' : 'admin';
      await fc.assert(
        fc.asyncProperty(
          objectFor(spec.params),
          objectFor(spec.query),
          fc.oneof(objectFor(spec.body), fc.jsonValue({ maxDepth: 3 }), anyValue()),
          fc.constantFrom<Persona>(persona, persona, 'officerRouted', 'moderator'),
          async (params, query, body, who) => {
            const agent = h.agents[spec.permission === 'public' ? 'anonymous' : who];
            const url = pathFor(spec, params) + queryString(query);
            const request = agent[spec.method](url);
            const response = await (spec.method === 'get'
              ? request
              : request.set('Content-Type', 'application/json').send(JSON.stringify(body) ?? 'null'));
            cases++;
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            if (response.status >= 500) {
              throw new Error(
                `${spec.method.toUpperCase()} ${url} → ${response.status} ${JSON.stringify(response.body)}`,
              );
            }
            if (response.status >= 400) {
              expect(response.body).toMatchObject({
                ok: false,
                error: expect.any(String),
                message: expect.any(String),
              });
            }
          },
        ),
        { numRuns: RUNS_PER_ROUTE, ...seed },
      );
    }
    console.log(
      `fuzzed ${cases} requests over ${specs.length} operations; statuses: ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    expect(cases).toBe(specs.length * RUNS_PER_ROUTE);
  });

  it('answers malformed and oversized JSON bodies with 400/413', async () => {
    const tipId = knownIds[0]!;
    for (const raw of ['{', '{"action":', 'null', '[]', '"text"', '{"action":"route","unitIds":[1e999]}']) {
      const response = await h.agents.admin
        .post(`/api/v1/tips/${tipId}/transitions`)
        .set('Content-Type', 'application/json')
        .send(raw);
      expect(response.status, raw).toBeLessThan(500);
      expect(response.body.ok).toBe(false);
    }
    const big = await h.agents.admin
      .post(`/api/v1/tips/${tipId}/notes`)
      .send({ body: 'x'.repeat(300 * 1024) });
    expect(big.status).toBe(413);
  });
});
