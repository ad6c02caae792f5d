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

/** The folded words of a name: "Ứng Hòa" → ["ung", "hoa"] (fold per word, then join for the key). */
export function foldWords(text: string): string[] {
  return text
    .split(/[\s\-–,.()/]+/u)
    .map(foldForSearch)
    .filter((word) => word.length > 0);
}

// Word start and end offsets of a name inside its folded key, memoised per key (3,355 names).
const boundaryCache = new Map<string, { starts: Set<number>; ends: Set<number> }>();
function boundariesOf(item: Searchable): { starts: Set<number>; ends: Set<number> } {
  let found = boundaryCache.get(item.shortName);
  if (!found) {
    const starts = new Set<number>();
    const ends = new Set<number>();
    let offset = 0;
    for (const word of foldWords(item.shortName)) {
      starts.add(offset);
      offset += word.length;
      ends.add(offset);
    }
    found = { starts, ends };
    boundaryCache.set(item.shortName, found);
  }
  return found;
}

/**
 * How well a name matches a folded query: 0 the whole name, 1 whole words of it ("hoa" in
 * "Ứng Hòa"), 2 the start of a word ("hoa" in "Hoàn Kiếm"), 3 anywhere; undefined: no match.
 */
function rankOf(item: Searchable, key: string): number | undefined {
  if (item.searchKey === key) return 0;
  const { starts, ends } = boundariesOf(item);
  let best: number | undefined;
  for (let at = item.searchKey.indexOf(key); at >= 0; at = item.searchKey.indexOf(key, at + 1)) {
    const rank = starts.has(at) ? (ends.has(at + key.length) ? 1 : 2) : 3;
    if (best === undefined || rank < best) best = rank;
    if (best === 1) break;
  }
  return best;
}

export interface SearchResult<T> {
  /** The best matches, at most `limit` (plus any name that folds like the last one). */
  matches: T[];
  /** How many names match in all, so the caller can ask for more letters. */
  total: number;
}

/**
 * Accent-, case- and spacing-insensitive search, ranked: the whole name, then a whole word,
 * then a word's start, then anywhere. Names that collide once folded (Văn Lang / Văn Lăng)
 * are both returned, even past the limit: the resident chooses, we never pick one.
 */
export function rankByName<T extends Searchable>(
  items: readonly T[],
  query: string,
  limit = 8,
): SearchResult<T> {
  const key = foldForSearch(query);
  if (!key) return { matches: [], total: 0 };
  const ranked: { item: T; rank: number }[] = [];
  for (const item of items) {
    const rank = rankOf(item, key);
    if (rank !== undefined) ranked.push({ item, rank });
  }
  ranked.sort((a, b) => a.rank - b.rank || a.item.shortName.localeCompare(b.item.shortName, 'vi'));
  let end = Math.min(limit, ranked.length);
  const last = ranked[end - 1];
  while (last && end < ranked.length && ranked[end]?.item.searchKey === last.item.searchKey) end++;
  return { matches: ranked.slice(0, end).map((entry) => entry.item), total: ranked.length };
}

export function searchByName<T extends Searchable>(items: readonly T[], query: string, limit = 8): T[] {
  return rankByName(items, query, limit).matches;
}

export function searchProvinces(units: AdminUnits, query: string, limit = 8): Province[] {
  return searchByName(units.provinces, query, limit);
}

export function searchCommunes(units: AdminUnits, provinceCode: string, query: string, limit = 8): Commune[] {
  return searchByName(units.communesOf(provinceCode), query, limit);
}

/** Communes of one province matching the query, with the number of matches in all. */
export function findCommunes(
  units: AdminUnits,
  provinceCode: string,
  query: string,
  limit = 8,
): SearchResult<Commune> {
  return rankByName(units.communesOf(provinceCode), query, limit);
}
