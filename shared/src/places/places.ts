import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type AdminUnits, loadAdminUnits } from '../admin-units/admin-units';
import { foldForSearch, toNfc } from '../text/normalize';
import { parseCsvRecords } from './csv';
import { type CommuneRingsFile, createPointLocator, decodeCommuneRings, type PointLocator } from './rings';

/**
 * The places residents still name: the 63 provinces, 696 districts and 10,035 communes from
 * before 1 July 2025 and the nicknames of provinces, each tied to the current units of
 * `AdminUnits`, plus the commune boundaries for location pins (loaded on the first pin).
 * Data: shared/data/README.md and README-old-names-and-geometry.md.
 */

/** How an old commune went into a current one ('retyped' units, same name, count as renamed). */
export type CommuneRelation = 'merged' | 'split' | 'unchanged' | 'renamed';

export interface OldProvince {
  code: string;
  /** "Tỉnh Quảng Bình" */
  name: string;
  /** "Quảng Bình" */
  shortName: string;
  /** The current province it is part of. */
  provinceCode: string;
}

export interface OldDistrict {
  code: string;
  /** "Huyện Hướng Hóa" */
  name: string;
  /** Quận, Huyện, Thị xã or Thành phố. */
  type: string;
  shortName: string;
  /** Other spellings, without the type word ("Đăk Glei"). */
  variants: string[];
  oldProvinceName: string;
  provinceCode: string;
  /** The current communes covering it, in the data file's order. */
  communeCodes: string[];
  /** Those that received only part of an old commune of this district. */
  partialCodes: ReadonlySet<string>;
}

export interface OldCommuneTarget {
  communeCode: string;
  relation: CommuneRelation;
  /** The current commune took this unit's code: it continues it ("nay là"). */
  sameCode: boolean;
}

export interface OldCommune {
  code: string;
  /** "Thị trấn Krông Klang" */
  name: string;
  /** Xã, Phường or Thị trấn. */
  type: string;
  shortName: string;
  /** Other spellings, without the type word ("Đakrông"). */
  variants: string[];
  districtCode: string;
  districtName: string;
  oldProvinceName: string;
  /** One current commune, or every commune that received part of a split one. */
  targets: OldCommuneTarget[];
  /**
   * Whether its name repeats among the old communes that went into the same current province
   * ("Phường 4" of several districts), so the district must be shown beside it.
   */
  nameRepeats: boolean;
}

export type AliasKind =
  | 'province_name'
  | 'old_province'
  | 'abbreviation'
  | 'english'
  | 'nickname'
  | 'old_name'
  | 'former_city';

export interface PlaceAlias {
  /** As residents write it: "tp.hcm", "Sài Gòn". */
  alias: string;
  /** Folded: "tphcm", "saigon". */
  key: string;
  provinceCode: string;
  kind: AliasKind;
  /** "đn" is Đà Nẵng or Đồng Nai: ask. */
  ambiguous: boolean;
}

export interface Places {
  units: AdminUnits;
  oldProvinces: OldProvince[];
  oldDistricts: OldDistrict[];
  oldCommunes: OldCommune[];
  aliases: PlaceAlias[];
  /** The point lookup over the commune boundaries, built on first use (3 MB file, about 0.2 s). */
  locator(): PointLocator;
}

const DATA = (file: string) => fileURLToPath(new URL(`../../data/${file}`, import.meta.url));
export const PLACE_DATA_FILES = {
  oldProvinces: DATA('vn-admin-old-provinces-2025.csv'),
  oldDistricts: DATA('vn-admin-old-districts-2025.csv'),
  predecessors: DATA('vn-admin-predecessors-2025.csv'),
  aliases: DATA('vn-place-aliases.csv'),
  rings: DATA('vn-communes-2025-rings.json'),
  centroids: DATA('vn-communes-2025-centroids.csv'),
} as const;

const ALIAS_KINDS: ReadonlySet<string> = new Set<AliasKind>([
  'province_name',
  'old_province',
  'abbreviation',
  'english',
  'nickname',
  'old_name',
  'former_city',
]);

/** "Thị trấn Krông Klang" → "Krông Klang", given the type or a list of possible types. */
export function stripTypeWord(name: string, types: readonly string[]): string {
  for (const type of types) if (name.startsWith(`${type} `)) return name.slice(type.length + 1);
  return name;
}

const RELATIONS: Record<string, CommuneRelation> = {
  merged: 'merged',
  split: 'split',
  unchanged: 'unchanged',
  renamed: 'renamed',
  retyped: 'renamed',
};
const COMMUNE_TYPES = ['Thị trấn', 'Phường', 'Xã', 'Đặc khu'];
const DISTRICT_TYPES = ['Thành phố', 'Thị xã', 'Quận', 'Huyện'];
const splitList = (value: string | undefined) => (value ? value.split(';').filter(Boolean) : []);

export interface PlaceSources {
  oldProvincesCsv: string;
  oldDistrictsCsv: string;
  predecessorsCsv: string;
  aliasesCsv: string;
  /** Read on the first location pin. */
  readRings: () => CommuneRingsFile;
}

/** Builds the places from the CSV texts (tests may pass their own). */
export function buildPlaces(units: AdminUnits, sources: PlaceSources): Places {
  const oldProvinces = parseCsvRecords(
    sources.oldProvincesCsv,
    ['old_province_code', 'old_province_name', 'old_province_short_name', 'new_province_code'],
    'vn-admin-old-provinces-2025.csv',
  ).map(
    (row): OldProvince => ({
      code: row.old_province_code!,
      name: row.old_province_name!,
      shortName: row.old_province_short_name!,
      provinceCode: row.new_province_code!,
    }),
  );

  const oldDistricts = parseCsvRecords(
    sources.oldDistrictsCsv,
    [
      'old_province_name',
      'old_district_code',
      'old_district_name',
      'old_district_type',
      'old_district_name_variants',
      'new_province_code',
      'new_commune_codes',
      'partial_only_codes',
    ],
    'vn-admin-old-districts-2025.csv',
  ).map(
    (row): OldDistrict => ({
      code: row.old_district_code!,
      name: row.old_district_name!,
      type: row.old_district_type!,
      shortName: stripTypeWord(row.old_district_name!, [row.old_district_type!]),
      variants: splitList(row.old_district_name_variants).map((name) => stripTypeWord(name, DISTRICT_TYPES)),
      oldProvinceName: row.old_province_name!,
      provinceCode: row.new_province_code!,
      communeCodes: splitList(row.new_commune_codes).filter((code) => units.communeByCode.has(code)),
      partialCodes: new Set(splitList(row.partial_only_codes)),
    }),
  );

  // One old commune per code, with every current commune that received it or part of it.
  const byCode = new Map<string, OldCommune>();
  for (const row of parseCsvRecords(
    sources.predecessorsCsv,
    [
      'old_province_name',
      'old_district_code',
      'old_district_name',
      'old_commune_code',
      'old_commune_name',
      'old_commune_type',
      'new_commune_code',
      'relation',
      'old_name_variants',
    ],
    'vn-admin-predecessors-2025.csv',
  )) {
    const code = row.old_commune_code!;
    // Whole districts without communes (Côn Đảo…) are found through the districts; the
    // alluvial zone of Kim Sơn has no name a resident would say.
    if (!code || !units.communeByCode.has(row.new_commune_code!)) continue;
    let old = byCode.get(code);
    if (!old) {
      const type = row.old_commune_type!;
      old = {
        code,
        name: row.old_commune_name!,
        type,
        shortName: stripTypeWord(row.old_commune_name!, [type]),
        variants: splitList(row.old_name_variants).map((name) => stripTypeWord(name, COMMUNE_TYPES)),
        districtCode: row.old_district_code!,
        districtName: row.old_district_name!,
        oldProvinceName: row.old_province_name!,
        targets: [],
        nameRepeats: false,
      };
      byCode.set(code, old);
    }
    const relation = RELATIONS[row.relation!] ?? 'merged';
    old.targets.push({
      communeCode: row.new_commune_code!,
      relation,
      sameCode: row.new_commune_code === code,
    });
  }
  const oldCommunes = [...byCode.values()];
  markRepeatedNames(units, oldCommunes);

  const aliases = parseCsvRecords(
    sources.aliasesCsv,
    ['alias', 'alias_key', 'province_code', 'kind', 'ambiguous'],
    'vn-place-aliases.csv',
  ).map((row): PlaceAlias => {
    const kind = row.kind!;
    if (!ALIAS_KINDS.has(kind)) throw new Error(`vn-place-aliases.csv: unknown kind ${kind}`);
    return {
      alias: row.alias!,
      key: row.alias_key!,
      provinceCode: row.province_code!,
      kind: kind as AliasKind,
      ambiguous: row.ambiguous === '1',
    };
  });

  let locator: PointLocator | undefined;
  return {
    units,
    oldProvinces,
    oldDistricts,
    oldCommunes,
    aliases,
    locator: () => {
      locator ??= createPointLocator(decodeCommuneRings(sources.readRings()));
      return locator;
    },
  };
}

function markRepeatedNames(units: AdminUnits, oldCommunes: OldCommune[]): void {
  const seen = new Map<string, OldCommune[]>();
  for (const old of oldCommunes) {
    const provinces = new Set(old.targets.map((t) => units.communeByCode.get(t.communeCode)?.provinceCode));
    for (const province of provinces) {
      const key = `${province}|${foldForSearch(old.name)}`;
      const list = seen.get(key) ?? [];
      list.push(old);
      seen.set(key, list);
    }
  }
  for (const list of seen.values()) if (list.length > 1) for (const old of list) old.nameRepeats = true;
}

let cached: Places | undefined;

/** The bundled places, loaded once per process (the boundaries only on the first pin). */
export function loadPlaces(): Places {
  cached ??= buildPlaces(loadAdminUnits(), {
    oldProvincesCsv: readFileSync(PLACE_DATA_FILES.oldProvinces, 'utf8'),
    oldDistrictsCsv: readFileSync(PLACE_DATA_FILES.oldDistricts, 'utf8'),
    predecessorsCsv: readFileSync(PLACE_DATA_FILES.predecessors, 'utf8'),
    aliasesCsv: readFileSync(PLACE_DATA_FILES.aliases, 'utf8'),
    readRings: () => JSON.parse(toNfc(readFileSync(PLACE_DATA_FILES.rings, 'utf8'))) as CommuneRingsFile,
  });
  return cached;
}
