import { PlaceSearchResponseSchema } from '@tinbao/shared/api/places';
import {
  type Commune,
  CommuneListResponseSchema,
  type Province,
  ProvinceListResponseSchema,
} from '@tinbao/shared/api/units';
import { apiParse } from '../api/client';

// Province and commune names change rarely: kept in memory for the page's life (not secret).
let provincesPromise: Promise<Province[]> | null = null;
const communesByProvince = new Map<string, Promise<Commune[]>>();

/** A failed answer is not kept: the next call asks again. */
function forgetOnFailure<T>(promise: Promise<T>, forget: () => void): Promise<T> {
  return promise.catch((error: unknown) => {
    forget();
    throw error;
  });
}

/** The 2025 provinces and communes and the staff's place search; answers parsed with the shared schemas. */
export const adminUnitsApi = {
  provinces(): Promise<Province[]> {
    provincesPromise ??= forgetOnFailure(
      apiParse(ProvinceListResponseSchema, '/admin-units/provinces').then((body) => body.provinces),
      () => {
        provincesPromise = null;
      },
    );
    return provincesPromise;
  },
  communes(provinceCode: string): Promise<Commune[]> {
    let promise = communesByProvince.get(provinceCode);
    if (!promise) {
      promise = forgetOnFailure(
        apiParse(CommuneListResponseSchema, '/admin-units/communes', {
          query: { provinceCode, limit: 500 },
        }).then((body) => body.communes),
        () => communesByProvince.delete(provinceCode),
      );
      communesByProvince.set(provinceCode, promise);
    }
    return promise;
  },
  /** Communes by their current or pre-2025 names (not remembered: every text is another search). */
  searchPlaces: (query: { q: string; province?: string | undefined; limit: number }, signal?: AbortSignal) =>
    apiParse(PlaceSearchResponseSchema, '/places/communes', { query, ...(signal ? { signal } : {}) }),
};
