import { useEffect, useState } from 'react';
import { api } from './client';

export interface ProvinceOption {
  code: string;
  name: string;
}
export interface CommuneOption {
  code: string;
  name: string;
  provinceCode: string;
  borderCommune?: boolean;
}

// Province and commune names change rarely: kept in memory for the page's life (not secret).
let provincesPromise: Promise<ProvinceOption[]> | null = null;
const communesByProvince = new Map<string, Promise<CommuneOption[]>>();

export function loadProvinces(): Promise<ProvinceOption[]> {
  provincesPromise ??= api<{ provinces: ProvinceOption[] }>('/admin-units/provinces').then(
    (body) => body.provinces,
    (error: unknown) => {
      provincesPromise = null;
      throw error;
    },
  );
  return provincesPromise;
}

export function loadCommunes(provinceCode: string): Promise<CommuneOption[]> {
  let promise = communesByProvince.get(provinceCode);
  if (!promise) {
    promise = api<{ communes: CommuneOption[] }>('/admin-units/communes', {
      query: { provinceCode, limit: 500 },
    }).then(
      (body) => body.communes,
      (error: unknown) => {
        communesByProvince.delete(provinceCode);
        throw error;
      },
    );
    communesByProvince.set(provinceCode, promise);
  }
  return promise;
}

/** Province names by code, loaded once per page life (units carry only the code). */
export function useProvinceNames(): Map<string, string> {
  const [names, setNames] = useState<Map<string, string>>(() => new Map());
  useEffect(() => {
    let live = true;
    loadProvinces().then(
      (provinces) => {
        if (live) setNames(new Map(provinces.map((province) => [province.code, province.name])));
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return names;
}

/** "CA-19564 · Công an xã Đakrông · Quảng Trị": units in different provinces look alike. */
export function unitLabel(
  unit: { code: string; name: string; provinceCode: string | null },
  provinceNames: Map<string, string>,
): string {
  const province = unit.provinceCode ? (provinceNames.get(unit.provinceCode) ?? unit.provinceCode) : null;
  return province ? `${unit.code} · ${unit.name} · ${province}` : `${unit.code} · ${unit.name}`;
}
