import {
  type CommuneMatchAnywhere,
  findCommunePlaces,
  findCommunePlacesAnywhere,
  loadPlaces,
  type Places,
} from '@tinbao/shared';
import {
  type CommunePlace,
  PlaceSearchQuerySchema,
  PlaceSearchResponseSchema,
} from '@tinbao/shared/api/places';
import { type AnyRouteSpec, defineRoute } from '../openapi/route-spec';

/** The same place search the bot uses, for commune pickers in the moderation UI. */
export function placeRouteSpecs(deps: { places?: () => Places } = {}): AnyRouteSpec[] {
  // Loaded on the first search, not at boot.
  const places = deps.places ?? loadPlaces;
  return [
    defineRoute({
      method: 'get',
      path: '/places/communes',
      operationId: 'searchCommunePlaces',
      summary:
        'Communes by current or pre-2025 name (old commune, old district), with or without diacritics or type words; each with its province and the old name it came from',
      tag: 'admin-units',
      permission: 'places.read',
      query: PlaceSearchQuerySchema,
      response: PlaceSearchResponseSchema,
      handler: async ({ query }) => {
        const loaded = places();
        const found = query.province
          ? findCommunePlaces(loaded, query.province, query.q, query.limit)
          : findCommunePlacesAnywhere(loaded, query.q, query.limit);
        const { provinceByCode } = loaded.units;
        const matches = found.matches.map(
          (match): CommunePlace => ({
            code: match.commune.code,
            name: match.commune.name,
            type: match.commune.type,
            provinceCode: match.commune.provinceCode,
            provinceName:
              (match as Partial<CommuneMatchAnywhere>).province?.name ??
              provinceByCode.get(match.commune.provinceCode)?.name ??
              '',
            ...(match.via ? { via: match.via } : {}),
          }),
        );
        return { ok: true, matches, total: found.total };
      },
    }),
  ];
}
