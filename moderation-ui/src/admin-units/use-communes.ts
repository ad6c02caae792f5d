import type { PlaceSearchResponse } from '@tinbao/shared/api/places';
import type { Commune, Province } from '@tinbao/shared/api/units';
import { useEffect, useMemo, useState } from 'react';
import { useApi } from '../layout/use-api';
import { SEARCH_DEBOUNCE_MS, useDebounced } from '../layout/use-debounced';
import { adminUnitsApi } from './admin-units-api';

/** Every province, loaded once per page life; an empty list while loading or when it failed. */
export function useProvinces(): Province[] {
  const [provinces, setProvinces] = useState<Province[]>([]);
  useEffect(() => {
    let live = true;
    adminUnitsApi.provinces().then(
      (loaded) => {
        if (live) setProvinces(loaded);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return provinces;
}

/** Province names by code (units and users carry only the code); empty until they came. */
export function useProvinceNames(): Map<string, string> {
  const provinces = useProvinces();
  return useMemo(() => new Map(provinces.map((province) => [province.code, province.name])), [provinces]);
}

/** The communes of one province; empty without a province or when loading failed. */
export function useCommunes(provinceCode: string | undefined): Commune[] {
  const [communes, setCommunes] = useState<Commune[]>([]);
  useEffect(() => {
    if (!provinceCode) {
      setCommunes([]);
      return;
    }
    // A late answer for a province no longer chosen must not replace the current list.
    let live = true;
    adminUnitsApi.communes(provinceCode).then(
      (loaded) => {
        if (live) setCommunes(loaded);
      },
      () => {
        if (live) setCommunes([]);
      },
    );
    return () => {
      live = false;
    };
  }, [provinceCode]);
  return communes;
}

/**
 * The place search as the text is typed: asked once the typing pauses, from two letters on;
 * null while there is nothing to show (too short, or the search failed).
 */
export function useCommuneSearch(text: string, provinceCode: string | undefined): PlaceSearchResponse | null {
  const query = text.trim();
  const settled = useDebounced(query, SEARCH_DEBOUNCE_MS);
  const search = useApi(
    (signal) =>
      settled.length < 2
        ? Promise.resolve(null)
        : adminUnitsApi.searchPlaces({ q: settled, province: provinceCode, limit: 10 }, signal),
    [settled, provinceCode],
  );
  if (query.length < 2 || search.error) return null;
  return search.data ?? null;
}
