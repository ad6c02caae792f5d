import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { foldForSearch, toNfc } from '../text/normalize';

/**
 * Vietnam's administrative units after the 1 July 2025 reorganisation (34 provinces,
 * 3,321 communes, no district level), from shared/data/vn-admin-units-2025.csv.
 * Route and store by code, never by name: 244 commune names repeat across provinces.
 */
export interface Province {
  code: string;
  name: string;
  type: string;
  /** Name without "Tỉnh"/"Thành phố", e.g. "Quảng Trị". */
  shortName: string;
  searchKey: string;
}

export interface Commune {
  code: string;
  name: string;
  type: string;
  provinceCode: string;
  /** Name without "Xã"/"Phường"/"Đặc khu", e.g. "Đakrông". */
  shortName: string;
  searchKey: string;
}

export interface AdminUnits {
  provinces: Province[];
  communes: Commune[];
  provinceByCode: Map<string, Province>;
  communeByCode: Map<string, Commune>;
  communesOf(provinceCode: string): Commune[];
}

export const ADMIN_UNITS_CSV = fileURLToPath(new URL('../../data/vn-admin-units-2025.csv', import.meta.url));

const stripPrefix = (name: string, type: string) =>
  name.startsWith(`${type} `) ? name.slice(type.length + 1) : name;

export function parseAdminUnitsCsv(csv: string): AdminUnits {
  const lines = toNfc(csv).split(/\r?\n/).filter(Boolean);
  const header = lines.shift();
  if (header !== 'province_code,province_name,province_type,commune_code,commune_name,commune_type') {
    throw new Error('unexpected header in the administrative units CSV');
  }
  const provinceByCode = new Map<string, Province>();
  const communeByCode = new Map<string, Commune>();
  const byProvince = new Map<string, Commune[]>();
  for (const [index, line] of lines.entries()) {
    const fields = line.split(',');
    const [provinceCode, provinceName, provinceType, communeCode, communeName, communeType] = fields;
    if (
      fields.length !== 6 ||
      !provinceCode ||
      !provinceName ||
      !provinceType ||
      !communeCode ||
      !communeName ||
      !communeType
    ) {
      throw new Error(`administrative units CSV line ${index + 2} does not have six fields`);
    }
    if (!provinceByCode.has(provinceCode)) {
      const shortName = stripPrefix(provinceName, provinceType);
      provinceByCode.set(provinceCode, {
        code: provinceCode,
        name: provinceName,
        type: provinceType,
        shortName,
        searchKey: foldForSearch(shortName),
      });
      byProvince.set(provinceCode, []);
    }
    const shortName = stripPrefix(communeName, communeType);
    const commune: Commune = {
      code: communeCode,
      name: communeName,
      type: communeType,
      provinceCode,
      shortName,
      searchKey: foldForSearch(shortName),
    };
    communeByCode.set(communeCode, commune);
    byProvince.get(provinceCode)?.push(commune);
  }
  return {
    provinces: [...provinceByCode.values()],
    communes: [...communeByCode.values()],
    provinceByCode,
    communeByCode,
    communesOf: (provinceCode) => byProvince.get(provinceCode) ?? [],
  };
}

let cached: AdminUnits | undefined;

/** Loads the bundled list once per process. */
export function loadAdminUnits(): AdminUnits {
  cached ??= parseAdminUnitsCsv(readFileSync(ADMIN_UNITS_CSV, 'utf8'));
  return cached;
}

interface Searchable {
  searchKey: string;
  shortName: string;
}

/**
 * Accent-, case- and spacing-insensitive search. Exact matches first, then prefixes, then
 * substrings. Names that collide once folded (Văn Lang / Văn Lăng) are both returned:
 * the resident chooses, we never pick one.
 */
export function searchByName<T extends Searchable>(items: readonly T[], query: string, limit = 8): T[] {
  const key = foldForSearch(query);
  if (!key) return [];
  const ranked: { item: T; rank: number }[] = [];
  for (const item of items) {
    const at = item.searchKey.indexOf(key);
    if (at < 0) continue;
    const rank = item.searchKey === key ? 0 : at === 0 ? 1 : 2;
    ranked.push({ item, rank });
  }
  ranked.sort((a, b) => a.rank - b.rank || a.item.shortName.localeCompare(b.item.shortName, 'vi'));
  return ranked.slice(0, limit).map((entry) => entry.item);
}

export function searchProvinces(units: AdminUnits, query: string, limit = 8): Province[] {
  return searchByName(units.provinces, query, limit);
}

export function searchCommunes(units: AdminUnits, provinceCode: string, query: string, limit = 8): Commune[] {
  return searchByName(units.communesOf(provinceCode), query, limit);
}
