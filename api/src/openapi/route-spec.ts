import { PERMISSIONS, type Permission } from '@tinbao/shared/permissions/index';
import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import {
  type AuthContext,
  type AuthDeps,
  authenticate,
  csrfProtection,
  requirePermission,
} from '../auth/middleware';
import { validate } from '../platform/validate';

type Schema = z.ZodType | undefined;
type Out<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

export interface HandlerContext<
  P extends Schema,
  Q extends Schema,
  B extends Schema,
  Public extends boolean,
> {
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  auth: Public extends true ? undefined : AuthContext;
  req: Request;
  res: Response;
}

/**
 * One HTTP operation, declared once: the route table mounts it (rate limit → authenticate →
 * role → CSRF → validate → handler) and the OpenAPI document is generated from it, so the
 * two cannot disagree.
 */
export interface RouteSpec<
  P extends Schema = Schema,
  Q extends Schema = Schema,
  B extends Schema = Schema,
  Public extends boolean = boolean,
> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Under /api/v1, Express syntax (`/tips/:id`). */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /**
   * 'public': no session. Otherwise the entry of the shared permission model (PERMISSIONS):
   * its roles are let through here, its scope is checked by the service with `can`.
   */
  permission: Public extends true ? 'public' : Permission;
  params?: P;
  query?: Q;
  body?: B;
  /** Default 200. */
  successStatus?: number;
  /** A zod schema for JSON answers, or the media type of a streamed answer. */
  response: z.ZodType | { contentType: string; description: string };
  /** Extra middleware before authentication (rate limits). */
  before?: RequestHandler[];
  /** Returns the JSON body; or writes the response itself and returns undefined. */
  handler: (context: HandlerContext<P, Q, B, Public>) => Promise<unknown>;
}

// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous list of specs
export type AnyRouteSpec = RouteSpec<any, any, any, any>;

export function defineRoute<
  P extends Schema = undefined,
  Q extends Schema = undefined,
  B extends Schema = undefined,
  Public extends boolean = false,
>(spec: RouteSpec<P, Q, B, Public>): AnyRouteSpec {
  return spec as AnyRouteSpec;
}

export const API_PREFIX = '/api/v1';

/** The roles a spec lets through, from the permission model ('public' for no session). */
export function rolesOf(spec: AnyRouteSpec): readonly string[] {
  return spec.permission === 'public' ? ['public'] : PERMISSIONS[spec.permission as Permission].roles;
}

/**
 * Tip-scoped: a tip permission on a `/tips/:id…` path. An officer of another unit (or a
 * moderator of another province) gets 404 there, never 403 (enforced by loadVisibleTip).
 */
export function isTipScoped(spec: AnyRouteSpec): boolean {
  return (
    spec.permission !== 'public' &&
    PERMISSIONS[spec.permission as Permission].scope === 'tip' &&
    spec.path.startsWith('/tips/:id')
  );
}

/** Mounts every spec on the router with the handler pipeline it declares. */
export function mountRoutes(router: Router, specs: AnyRouteSpec[], authDeps: AuthDeps): void {
  const authenticated = authenticate(authDeps);
  const csrf = csrfProtection();
  for (const spec of specs) {
    const chain: RequestHandler[] = [...(spec.before ?? [])];
    if (spec.permission !== 'public') chain.push(authenticated, requirePermission(spec.permission), csrf);
    chain.push(
      validate({
        ...(spec.params ? { params: spec.params } : {}),
        ...(spec.query ? { query: spec.query } : {}),
        ...(spec.body ? { body: spec.body } : {}),
      }),
    );
    chain.push(async (req, res) => {
      const parsed = (res.locals.validated ?? {}) as Record<string, unknown>;
      const result = await spec.handler({
        params: parsed.params,
        query: parsed.query,
        body: parsed.body,
        auth: res.locals.auth,
        req,
        res,
      });
      if (result !== undefined && !res.headersSent) {
        res
          .status(spec.successStatus ?? 200)
          .set('Cache-Control', 'no-store')
          .json(result);
      }
    });
    router[spec.method](`${API_PREFIX}${spec.path}`, ...chain);
  }
}
