import { useEffect, useState } from 'react';
import { type CommuneOption, loadCommunes, loadProvinces, type ProvinceOption } from '../api/admin-units';

/** Every province, loaded once per page life; an empty list while loading or when it failed. */
export function useProvinces(): ProvinceOption[] {
  const [provinces, setProvinces] = useState<ProvinceOption[]>([]);
  useEffect(() => {
    let live = true;
    loadProvinces().then(
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

/** The communes of one province; empty without a province or when loading failed. */
export function useCommunes(provinceCode: string | undefined): CommuneOption[] {
  const [communes, setCommunes] = useState<CommuneOption[]>([]);
  useEffect(() => {
    if (!provinceCode) {
      setCommunes([]);
      return;
    }
    // A late answer for a province no longer chosen must not replace the current list.
    let live = true;
    loadCommunes(provinceCode).then(
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
