import { z } from 'zod';
import { toNfc } from '../text/normalize';
import { ProvinceCodeSchema } from '../tips/schemas';

/**
 * The place search for staff (GET /api/v1/places/communes): current communes found by their
 * current or pre-2025 names, each with its province and the old name it came from.
 */

export const PlaceSearchQuerySchema = z
  .object({
    q: z.string().transform(toNfc).pipe(z.string().trim().min(1, 'q is empty').max(100)),
    /** Only this province's communes; every province without it. */
    province: ProvinceCodeSchema.optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  })
  .strict();
export type PlaceSearchQuery = z.infer<typeof PlaceSearchQuerySchema>;

export const CommuneViaSchema = z.object({
  kind: z.enum(['old_commune', 'old_district']),
  /** "Thị trấn Lao Bảo", "Huyện Hướng Hóa". */
  name: z.string(),
  relation: z.enum(['merged', 'split', 'unchanged', 'renamed']).optional(),
  /** The commune took the old unit's code: it continues it. */
  sameCode: z.boolean().optional(),
  /** The old district, when the old name repeats in the province ("Phường 4"). */
  district: z.string().optional(),
  /** A split commune or a district: every commune that received part of it. */
  into: z.array(z.string()).optional(),
});
export type CommuneVia = z.infer<typeof CommuneViaSchema>;

export const CommunePlaceSchema = z.object({
  code: z.string(),
  name: z.string(),
  type: z.string(),
  provinceCode: z.string(),
  provinceName: z.string(),
  via: CommuneViaSchema.optional(),
});
export type CommunePlace = z.infer<typeof CommunePlaceSchema>;

export const PlaceSearchResponseSchema = z.object({
  ok: z.literal(true),
  matches: z.array(CommunePlaceSchema),
  /** How many communes match in all, so the UI can ask for more letters. */
  total: z.number().int(),
});
export type PlaceSearchResponse = z.infer<typeof PlaceSearchResponseSchema>;
