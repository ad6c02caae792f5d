import { UuidParamsSchema } from '@tinbao/shared/api/tips';
import {
  BorderCommuneResponseSchema,
  CommuneParamsSchema,
  OkResponseSchema,
  RoutingRuleCreateSchema,
  RoutingRuleListResponseSchema,
  RoutingRuleResponseSchema,
  RoutingRuleUpdateSchema,
} from '@tinbao/shared/api/units';
import { type AnyRouteSpec, defineRoute } from '../openapi/route-spec';
import type { Db } from '../platform/db';
import {
  createRoutingRule,
  deleteRoutingRule,
  listRoutingRules,
  setBorderCommune,
  updateRoutingRule,
} from './service';

export function routingRouteSpecs(deps: { db: Db }): AnyRouteSpec[] {
  const { db } = deps;
  return [
    defineRoute({
      method: 'get',
      path: '/routing-rules',
      operationId: 'listRoutingRules',
      summary: 'Routing rules (by commune, province, category, venue type, border area)',
      tag: 'routing',
      permission: 'routing.read',
      response: RoutingRuleListResponseSchema,
      handler: async () => ({ ok: true, rules: await listRoutingRules(db) }),
    }),
    defineRoute({
      method: 'post',
      path: '/routing-rules',
      operationId: 'createRoutingRule',
      summary: 'Creates a routing rule',
      tag: 'routing',
      permission: 'routing.manage',
      body: RoutingRuleCreateSchema,
      successStatus: 201,
      response: RoutingRuleResponseSchema,
      handler: async ({ auth, body }) => ({ ok: true, rule: await createRoutingRule(db, auth, body) }),
    }),
    defineRoute({
      method: 'patch',
      path: '/routing-rules/:id',
      operationId: 'updateRoutingRule',
      summary: 'Changes a routing rule',
      tag: 'routing',
      permission: 'routing.manage',
      params: UuidParamsSchema,
      body: RoutingRuleUpdateSchema,
      response: RoutingRuleResponseSchema,
      handler: async ({ auth, params, body }) => ({
        ok: true,
        rule: await updateRoutingRule(db, auth, params.id, body),
      }),
    }),
    defineRoute({
      method: 'delete',
      path: '/routing-rules/:id',
      operationId: 'deleteRoutingRule',
      summary: 'Deletes a routing rule',
      tag: 'routing',
      permission: 'routing.manage',
      params: UuidParamsSchema,
      response: OkResponseSchema,
      handler: async ({ auth, params }) => {
        await deleteRoutingRule(db, auth, params.id);
        return { ok: true };
      },
    }),
    defineRoute({
      method: 'put',
      path: '/border-communes/:communeCode',
      operationId: 'addBorderCommune',
      summary: 'Marks a commune as a border commune (high priority, border rules apply)',
      tag: 'routing',
      permission: 'routing.manage',
      params: CommuneParamsSchema,
      response: BorderCommuneResponseSchema,
      handler: async ({ auth, params }) => {
        await setBorderCommune(db, auth, params.communeCode, true);
        return { ok: true, communeCode: params.communeCode, borderCommune: true };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/border-communes/:communeCode',
      operationId: 'removeBorderCommune',
      summary: 'Removes a commune from the border communes',
      tag: 'routing',
      permission: 'routing.manage',
      params: CommuneParamsSchema,
      response: BorderCommuneResponseSchema,
      handler: async ({ auth, params }) => {
        await setBorderCommune(db, auth, params.communeCode, false);
        return { ok: true, communeCode: params.communeCode, borderCommune: false };
      },
    }),
  ];
}
