import {
  OkResponseSchema,
  type RoutingRuleCreateSchema,
  RoutingRuleListResponseSchema,
  RoutingRuleResponseSchema,
  type RoutingRuleUpdateSchema,
} from '@tinbao/shared/api/units';
import type { z } from 'zod';
import { apiParse } from '../api/client';

export type RoutingRuleInput = z.input<typeof RoutingRuleCreateSchema>;
export type RoutingRulePatch = z.input<typeof RoutingRuleUpdateSchema>;

const rulePath = (id: string) => `/routing-rules/${encodeURIComponent(id)}`;

/** Routing rules; every answer parsed with its shared schema. */
export const routingApi = {
  list: (signal?: AbortSignal) =>
    apiParse(RoutingRuleListResponseSchema, '/routing-rules', signal ? { signal } : {}),
  create: (request: RoutingRuleInput) =>
    apiParse(RoutingRuleResponseSchema, '/routing-rules', { method: 'POST', body: request }),
  update: (id: string, patch: RoutingRulePatch) =>
    apiParse(RoutingRuleResponseSchema, rulePath(id), { method: 'PATCH', body: patch }),
  remove: (id: string) => apiParse(OkResponseSchema, rulePath(id), { method: 'DELETE' }),
};
