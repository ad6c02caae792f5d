import { ApiErrorSchema } from '@tinbao/shared/api/errors';
import { Router } from 'express';
import { z } from 'zod';
import { type AnyRouteSpec, API_PREFIX, isTipScoped, rolesOf } from './route-spec';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[] };

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
    reused: 'inline',
  }) as JsonSchema;
  return rest;
}

function parametersOf(schema: z.ZodType | undefined, location: 'path' | 'query') {
  if (!schema) return [];
  const json = jsonSchema(schema, 'input');
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    schema: property,
  }));
}

const openApiPath = (path: string) => `${API_PREFIX}${path}`.replace(/:([A-Za-z]+)/g, '{$1}');

const ERROR_RESPONSES: Record<string, string> = {
  '400': 'invalid_request: the input failed validation (issues name each field)',
  '401': 'unauthorized: no valid session',
  '403':
    'forbidden (role), csrf_failed (missing X-CSRF-Token) or password_change_required (temporary password: POST /auth/password first)',
  '404': 'not_found — also for a tip of another unit, so its existence does not leak',
  '409': 'illegal_transition / version_conflict / already_*: with status and allowed actions',
  '410':
    "tip_purged: the tip's content was deleted under the retention rules (its clear fields and audit events remain)",
  '429': 'rate_limited',
};

/** OpenAPI 3.1 generated from the route specs: the same objects that mount the routes. */
export function buildOpenApiDocument(specs: AnyRouteSpec[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const error = jsonSchema(ApiErrorSchema, 'output');
  for (const spec of specs) {
    const success =
      spec.response instanceof z.ZodType
        ? {
            description: 'success',
            content: { 'application/json': { schema: jsonSchema(spec.response, 'output') } },
          }
        : { description: spec.response.description, content: { [spec.response.contentType]: {} } };
    const errors = Object.fromEntries(
      Object.entries(ERROR_RESPONSES)
        .filter(([status]) => spec.permission !== 'public' || ['400', '404', '429'].includes(status))
        // Only an operation on one tip can meet a purged one.
        .filter(([status]) => status !== '410' || spec.path.startsWith('/tips/:id'))
        .map(([status, description]) => [
          status,
          { description, content: { 'application/json': { schema: error } } },
        ]),
    );
    paths[openApiPath(spec.path)] ??= {};
    paths[openApiPath(spec.path)]![spec.method] = {
      operationId: spec.operationId,
      summary: spec.summary,
      tags: [spec.tag],
      'x-roles': rolesOf(spec),
      ...(isTipScoped(spec) ? { 'x-tip-scoped': true } : {}),
      ...(spec.permission !== 'public' ? { 'x-permission': spec.permission } : {}),
      security: spec.permission === 'public' ? [] : [{ session: [] }],
      parameters: [...parametersOf(spec.params, 'path'), ...parametersOf(spec.query, 'query')],
      ...(spec.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } },
            },
          }
        : {}),
      responses: { [String(spec.successStatus ?? 200)]: success, ...errors },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'TinBao moderation API',
      version: '1',
      description:
        'JSON under /api/v1. Errors: { ok:false, error:<stable code>, message }. Staff sign in with a session cookie; state-changing requests carry X-CSRF-Token.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'tinbao_session',
          description: 'plus X-CSRF-Token on POST/PUT/PATCH/DELETE',
        },
      },
    },
    paths,
  };
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const DOCS_CSS =
  'body{font-family:system-ui,sans-serif;margin:2rem;max-width:75rem}table{border-collapse:collapse;width:100%}' +
  'td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}code{white-space:nowrap}';

/** A plain page listing the operations: no scripts, no CDN. */
export function renderDocsHtml(specs: AnyRouteSpec[]): string {
  const rows = specs
    .map(
      (spec) =>
        `<tr><td><code>${spec.method.toUpperCase()}</code></td><td><code>${escapeHtml(openApiPath(spec.path))}</code></td><td>${escapeHtml(
          rolesOf(spec).join(', '),
        )}</td><td>${escapeHtml(spec.summary)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>TinBao API</title>
<link rel="stylesheet" href="/api/docs/docs.css">
</head><body>
<h1>TinBao moderation API</h1>
<p>Machine-readable: <a href="/api/docs/openapi.json">/api/docs/openapi.json</a> (OpenAPI 3.1, generated from the zod schemas).
Errors are <code>{ ok:false, error, message }</code>; state-changing requests need the <code>X-CSRF-Token</code> header.</p>
<table><thead><tr><th>method</th><th>path</th><th>roles</th><th>what</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>`;
}

export function docsRouter(specs: AnyRouteSpec[]): Router {
  const router = Router();
  let document: Record<string, unknown> | undefined;
  router.get('/api/docs/openapi.json', (_req, res) => {
    document ??= buildOpenApiDocument(specs);
    res.json(document);
  });
  // A stylesheet of its own: the CSP allows no inline style.
  router.get('/api/docs/docs.css', (_req, res) => {
    res.type('css').send(DOCS_CSS);
  });
  router.get(['/api/docs', '/api/docs/'], (_req, res) => {
    res.type('html').send(renderDocsHtml(specs));
  });
  return router;
}
