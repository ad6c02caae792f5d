import { z } from 'zod';
import { NotificationTargetSchema } from '../notifications/targets';
import { toNfc } from '../text/normalize';
import { CommuneCodeSchema, ProvinceCodeSchema, TipCategorySchema, VenueTypeSchema } from '../tips/schemas';

/** Units, the communes they cover, routing rules, border communes and the administrative-unit lookups. */

export const UnitKindSchema = z.enum(['commune_police', 'border_guard', 'specialised']);
export type UnitKind = z.infer<typeof UnitKindSchema>;

const name = z.string().transform(toNfc).pipe(z.string().trim().min(1, 'name is empty').max(200));

export {
  type NotificationTarget,
  NotificationTargetSchema,
  TelegramGroupIdSchema,
} from '../notifications/targets';

/** A unit's notification targets, replaced as a whole; the same target twice counts once. */
const notificationTargets = z.array(NotificationTargetSchema).max(20);

export const UnitSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  kind: UnitKindSchema,
  provinceCode: z.string().nullable(),
  active: z.boolean(),
  /** How many places (Telegram groups …) hear when a case is routed to the unit. */
  notificationTargetCount: z.number().int(),
  communeCount: z.number().int(),
});
export type Unit = z.infer<typeof UnitSchema>;

export const UnitDetailSchema = UnitSchema.extend({
  communes: z.array(z.object({ code: z.string(), name: z.string() })),
  notificationTargets: z.array(NotificationTargetSchema),
});
export type UnitDetail = z.infer<typeof UnitDetailSchema>;

export const UnitListQuerySchema = z
  .object({
    q: z.string().max(100).optional(),
    provinceCode: ProvinceCodeSchema.optional(),
    communeCode: CommuneCodeSchema.optional(),
    kind: UnitKindSchema.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type UnitListQuery = z.infer<typeof UnitListQuerySchema>;

export const UnitListResponseSchema = z.object({ ok: z.literal(true), units: z.array(UnitSchema) });
export const UnitResponseSchema = z.object({ ok: z.literal(true), unit: UnitDetailSchema });

export const UnitCreateSchema = z
  .object({
    code: z
      .string()
      .regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/, 'code: capital letters, digits and dashes, e.g. BP-CHA-LO'),
    name,
    kind: UnitKindSchema,
    provinceCode: ProvinceCodeSchema.nullable().optional(),
    notificationTargets: notificationTargets.optional(),
    communeCodes: z.array(CommuneCodeSchema).max(500).optional(),
  })
  .strict();
export type UnitCreate = z.infer<typeof UnitCreateSchema>;

export const UnitUpdateSchema = z
  .object({
    name: name.optional(),
    provinceCode: ProvinceCodeSchema.nullable().optional(),
    notificationTargets: notificationTargets.optional(),
    active: z.boolean().optional(),
  })
  .strict();
export type UnitUpdate = z.infer<typeof UnitUpdateSchema>;

export const UnitCommunesUpdateSchema = z
  .object({ communeCodes: z.array(CommuneCodeSchema).max(500) })
  .strict();

export const RoutingRuleSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  unitId: z.uuid(),
  unitName: z.string(),
  enabled: z.boolean(),
  provinceCode: z.string().nullable(),
  communeCode: z.string().nullable(),
  category: TipCategorySchema.nullable(),
  venueType: VenueTypeSchema.nullable(),
  /** Only for tips in a border area (a border commune, or venue "khu vực biên giới"). */
  borderAreaOnly: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type RoutingRule = z.infer<typeof RoutingRuleSchema>;

/** A rule matches when every condition it sets holds; a condition left null matches anything. */
export const RoutingRuleCreateSchema = z
  .object({
    name,
    unitId: z.uuid(),
    enabled: z.boolean().default(true),
    provinceCode: ProvinceCodeSchema.nullable().default(null),
    communeCode: CommuneCodeSchema.nullable().default(null),
    category: TipCategorySchema.nullable().default(null),
    venueType: VenueTypeSchema.nullable().default(null),
    borderAreaOnly: z.boolean().default(false),
  })
  .strict();
export type RoutingRuleCreate = z.infer<typeof RoutingRuleCreateSchema>;

export const RoutingRuleUpdateSchema = z
  .object({
    name: name.optional(),
    unitId: z.uuid().optional(),
    enabled: z.boolean().optional(),
    provinceCode: ProvinceCodeSchema.nullable().optional(),
    communeCode: CommuneCodeSchema.nullable().optional(),
    category: TipCategorySchema.nullable().optional(),
    venueType: VenueTypeSchema.nullable().optional(),
    borderAreaOnly: z.boolean().optional(),
  })
  .strict();
export type RoutingRuleUpdate = z.infer<typeof RoutingRuleUpdateSchema>;

export const RoutingRuleListResponseSchema = z.object({
  ok: z.literal(true),
  rules: z.array(RoutingRuleSchema),
});
export const RoutingRuleResponseSchema = z.object({ ok: z.literal(true), rule: RoutingRuleSchema });

export const ProvinceSchema = z.object({ code: z.string(), name: z.string(), type: z.string() });
export type Province = z.infer<typeof ProvinceSchema>;
export const ProvinceListResponseSchema = z.object({
  ok: z.literal(true),
  provinces: z.array(ProvinceSchema),
});

export const CommuneSchema = z.object({
  code: z.string(),
  name: z.string(),
  type: z.string(),
  provinceCode: z.string(),
  borderCommune: z.boolean(),
});
export type Commune = z.infer<typeof CommuneSchema>;
export const CommuneListQuerySchema = z
  .object({
    provinceCode: ProvinceCodeSchema.optional(),
    q: z.string().max(100).optional(),
    borderOnly: z
      .enum(['true', 'false', '1', '0'])
      .transform((v) => v === 'true' || v === '1')
      .optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
export const CommuneListResponseSchema = z.object({ ok: z.literal(true), communes: z.array(CommuneSchema) });

export const CommuneParamsSchema = z.object({ communeCode: CommuneCodeSchema });
export const BorderCommuneResponseSchema = z.object({
  ok: z.literal(true),
  communeCode: z.string(),
  borderCommune: z.boolean(),
});

export const OkResponseSchema = z.object({ ok: z.literal(true) });
