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
