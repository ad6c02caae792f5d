import type { Commune, Province } from '../admin-units/admin-units';
import { foldForSearch, toNfc } from '../text/normalize';
import type { AliasKind, CommuneRelation, OldCommune, OldDistrict, Places } from './places';

/**
 * Place search as residents type it: current names, pre-2025 provinces, districts and
 * communes, nicknames; with or without diacritics and type words ("xã", "tt", "p.", "huyện").
 * Ranked like `rankByName`: the whole name, then whole words, then a word's start, then
 * anywhere (current names only: ten thousand old names would drown a two-letter query).
 */

export interface ProvinceVia {
  kind: 'old_province' | 'alias';
  /** "Tỉnh Quảng Bình", "sài gòn", "tp.hcm". */
  name: string;
  /** For aliases: abbreviation, nickname, former_city… */
  aliasKind?: AliasKind;
}

export interface ProvinceMatch {
  province: Province;
  via?: ProvinceVia;
}

export type ProvinceResolution =
  | ({ kind: 'found' } & ProvinceMatch)
  | { kind: 'ambiguous'; candidates: ProvinceMatch[] }
  | { kind: 'none' };

export interface CommuneVia {
  kind: 'old_commune' | 'old_district';
  /** "Thị trấn Krông Klang", "Huyện Hướng Hóa". */
  name: string;
  /** Old communes only. */
  relation?: CommuneRelation;
  /** The current commune took the old unit's code: it continues it ("nay là"). */
  sameCode?: boolean;
  /** The old district, when the old commune's name repeats in the province ("Phường 4"). */
  district?: string;
  /** A split commune or a district: every current commune that received part of it. */
  into?: string[];
}

export interface CommuneMatch {
  commune: Commune;
  via?: CommuneVia;
}

export interface CommuneMatchAnywhere extends CommuneMatch {
  province: Province;
}

export interface PlaceSearchResult<T> {
  /** The best matches: at least `limit` when there are that many, more rather than cut a split commune, a district or two names that fold alike. */
  matches: T[];
  /** How many communes match in all. */
  total: number;
}

// ---------------------------------------------------------------- folding and ranking

const collator = new Intl.Collator('vi');

interface FoldedName {
  key: string;
  starts: number[];
  ends: number[];
  /** Lower case with its marks: "hướnghóa", to prefer the spelling typed over a look-alike. */
  marked: string;
}

interface Word {
  folded: string;
  marked: string;
}

const number = (word: string) => (/^\d+$/.test(word) ? String(Number.parseInt(word, 10)) : word);

/** Words folded (as `foldWords`) and with their marks; numbers without leading zeros ("04" = "4"). */
function placeWords(text: string): Word[] {
  const words: Word[] = [];
  for (const raw of toNfc(text).split(/[\s\-–,.()/]+/u)) {
    const foldedWord = foldForSearch(raw);
    if (foldedWord)
      words.push({
        folded: number(foldedWord),
        marked: number(raw.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')),
      });
  }
  return words;
}

function foldName(name: string): FoldedName {
  const starts: number[] = [];
  const ends: number[] = [];
  let key = '';
  let marked = '';
  for (const word of placeWords(name)) {
    starts.push(key.length);
    key += word.folded;
    marked += word.marked;
    ends.push(key.length);
  }
  return { key, starts, ends, marked };
}

const foldedNames = new Map<string, FoldedName>();
function folded(name: string): FoldedName {
  let found = foldedNames.get(name);
  if (!found) {
    found = foldName(name);
    foldedNames.set(name, found);
  }
  return found;
}

const isDigit = (char: string | undefined) => char !== undefined && char >= '0' && char <= '9';

/**
 * 0 the whole name, 1 whole words of it, 2 the start of a word, 3 anywhere; undefined: no
 * match. A number matches whole numbers only ("4" is not "14" or "40").
 */
function rankName(name: FoldedName, key: string): number | undefined {
  if (name.key === key) return 0;
  const numberFirst = isDigit(key[0]);
  const numberLast = isDigit(key.at(-1));
  let best: number | undefined;
  for (let at = name.key.indexOf(key); at >= 0; at = name.key.indexOf(key, at + 1)) {
    const start = name.starts.includes(at);
    const end = name.ends.includes(at + key.length);
    if ((numberFirst && !start) || (numberLast && !end)) continue;
    const rank = start ? (end ? 1 : 2) : 3;
    if (best === undefined || rank < best) best = rank;
    if (best === 1) break;
  }
  return best;
}

// ---------------------------------------------------------------- the query and its type words

type TypeTable = readonly (readonly [type: string, words: readonly (readonly string[])[]])[];

const COMMUNE_LEVEL: TypeTable = [
  ['Xã', [['xa'], ['x']]],
  ['Phường', [['phuong'], ['p'], ['f']]],
  ['Thị trấn', [['thi', 'tran'], ['thitran'], ['tt']]],
  ['Đặc khu', [['dac', 'khu'], ['dackhu']]],
];
const DISTRICT_LEVEL: TypeTable = [
  ['Huyện', [['huyen'], ['h']]],
  ['Quận', [['quan'], ['q']]],
  ['Thị xã', [['thi', 'xa'], ['thixa'], ['tx']]],
  ['Thành phố', [['thanh', 'pho'], ['thanhpho'], ['tp']]],
];
const PLACE_TYPES: TypeTable = [...COMMUNE_LEVEL, ...DISTRICT_LEVEL];
const PROVINCE_TYPES: TypeTable = [
  ['Tỉnh', [['tinh']]],
  ['Thành phố', [['thanh', 'pho'], ['thanhpho'], ['tp']]],
];

/** The type word the text starts with, longest first: "thi xa" is Thị xã, not Thị trấn. */
function leadingType(words: string[], table: TypeTable): { type: string; length: number } | undefined {
  let found: { type: string; length: number } | undefined;
  for (const [type, forms] of table) {
    for (const form of forms) {
      if (form.length > (found?.length ?? 0) && form.every((word, at) => words[at] === word)) {
        found = { type, length: form.length };
      }
    }
  }
  return found;
}

interface QueryVariant {
  key: string;
  /** The words with their marks, when the resident typed any ("Hướng Hóa"). */
  marked?: string;
  /** The type word the resident used, if this variant dropped one. */
  hint?: string;
  /** A word was dropped: on a tie, the text as typed wins ("tp.hcm" over "hcm"). */
  shortened?: boolean;
}

/** The words of a query; "p4", "q1", "f4", "tt3" are "phường 4", "quận 1", "phường 4", "thị trấn 3". */
function queryWords(text: string): Word[] {
  return placeWords(text).flatMap((word): Word[] => {
    const attached = /^(p|f|q|x|tt|tx)(\d+)$/.exec(word.folded);
    if (!attached) return [word];
    const [type, digits] = [attached[1]!, number(attached[2]!)];
    return [
      { folded: type, marked: type },
      { folded: digits, marked: digits },
    ];
  });
}

/**
 * The keys to try: the words as typed, and without a leading type word or a trailing "cũ"
 * ("thị trấn Lao Bảo cũ").
 */
function queryVariants(words: readonly Word[], table: TypeTable): QueryVariant[] {
  if (words.length === 0) return [];
  const bases: { words: readonly Word[]; hint?: string }[] = [{ words }];
  const type = leadingType(
    words.map((word) => word.folded),
    table,
  );
  if (type && words.length > type.length) bases.push({ words: words.slice(type.length), hint: type.type });
  const variants: QueryVariant[] = [];
  const add = (list: readonly Word[], hint?: string) => {
    const key = list.map((word) => word.folded).join('');
    const marked = list.map((word) => word.marked).join('');
    if (!key || variants.some((v) => v.key === key && v.hint === hint)) return;
    variants.push({
      key,
      ...(marked !== key ? { marked } : {}),
      ...(hint ? { hint } : {}),
      ...(variants.length > 0 ? { shortened: true } : {}),
    });
  };
  for (const base of bases) {
    add(base.words, base.hint);
    if (base.words.length > 1 && base.words.at(-1)?.folded === 'cu') add(base.words.slice(0, -1), base.hint);
  }
  return variants;
}

interface Score {
  /** 0 a whole name; 1 part of a current name; 2 part of an old one (current names first). */
  tier: number;
  rank: number;
  /** 1 when the resident's type word names another kind of unit ("thị trấn" for a xã). */
  penalty: number;
  /** 1 when the resident typed marks and this whole name has others (Hương Hóa for Hướng Hóa). */
  accent: number;
  /** 1 when matched only without a word of the text. */
  shortened: number;
}

const compareScores = (a: Score, b: Score) =>
  a.tier - b.tier ||
  a.rank - b.rank ||
  a.penalty - b.penalty ||
  a.accent - b.accent ||
  a.shortened - b.shortened;

function scoreNames(
  names: readonly FoldedName[],
  type: string,
  variants: readonly QueryVariant[],
  maxRank: number,
  current: boolean,
): Score | undefined {
  let best: Score | undefined;
  for (const variant of variants) {
    for (const foldedName of names) {
      const rank = rankName(foldedName, variant.key);
      if (rank === undefined || rank > maxRank) continue;
      const score: Score = {
        tier: rank === 0 ? 0 : current ? 1 : 2,
        rank,
        penalty: variant.hint && variant.hint !== type ? 1 : 0,
        accent: rank === 0 && variant.marked && variant.marked !== foldedName.marked ? 1 : 0,
        shortened: variant.shortened ? 1 : 0,
      };
      if (!best || compareScores(score, best) < 0) best = score;
    }
  }
  return best;
}

// ---------------------------------------------------------------- provinces

interface ProvinceCandidate {
  province: Province;
  via?: ProvinceVia;
  /** 0 current name, 1 old province, 2 alias. */
  source: number;
  names: FoldedName[];
}

const provinceCandidates = new WeakMap<Places, ProvinceCandidate[]>();

function provinceCandidatesOf(places: Places): ProvinceCandidate[] {
  let list = provinceCandidates.get(places);
  if (list) return list;
  const { provinceByCode, provinces } = places.units;
  list = provinces.map((province) => ({ province, source: 0, names: [folded(province.shortName)] }));
  const currentKeys = new Set(provinces.map((province) => folded(province.shortName).key));
  for (const old of places.oldProvinces) {
    const province = provinceByCode.get(old.provinceCode);
    // An old province with the current name (Quảng Trị, Hà Nội) is the current one.
    if (!province || currentKeys.has(folded(old.shortName).key)) continue;
    list.push({
      province,
      via: { kind: 'old_province', name: old.name },
      source: 1,
      names: [folded(old.shortName)],
    });
  }
  for (const alias of places.aliases) {
    const province = provinceByCode.get(alias.provinceCode);
    // Current and old province names come from their own files, above.
    if (!province || alias.kind === 'province_name' || alias.kind === 'old_province') continue;
    list.push({
      province,
      via: { kind: 'alias', name: alias.alias, aliasKind: alias.kind },
      source: 2,
      // The alias file's key already drops spaces and punctuation: "tp.hcm" = "tphcm".
      names: [folded(alias.alias)],
    });
  }
  provinceCandidates.set(places, list);
  return list;
}

/**
 * The province a typed answer names: a current name, an old province ("Quảng Bình" → Quảng
 * Trị), a nickname or abbreviation ("sài gòn", "tp.hcm", "hn"). "tỉnh", "thành phố", "tp",
 * case, diacritics and punctuation are ignored. Partial input ("ha", "quang") gives candidates
 * like `searchProvinces`; one candidate alone is found.
 */
export function resolveProvince(places: Places, text: string, limit = 8): ProvinceResolution {
  // Province type words are dropped, never a hint: "tỉnh Hà Nội" still means Hà Nội.
  const variants = queryVariants(queryWords(text), PROVINCE_TYPES).map(({ hint: _, ...variant }) => variant);
  if (variants.length === 0) return { kind: 'none' };
  const scored: { candidate: ProvinceCandidate; score: Score }[] = [];
  for (const candidate of provinceCandidatesOf(places)) {
    // Abbreviations match whole: "h" is not the start of "hcm".
    const maxRank = candidate.source === 0 ? 3 : candidate.via?.aliasKind === 'abbreviation' ? 0 : 2;
    const score = scoreNames(candidate.names, '', variants, maxRank, candidate.source === 0);
    if (score) scored.push({ candidate, score });
  }
  scored.sort(
    (a, b) =>
      // A current name wins over an alias even when the alias kept more of the text ("tp hà nội").
      compareScores({ ...a.score, shortened: 0 }, { ...b.score, shortened: 0 }) ||
      a.candidate.source - b.candidate.source ||
      a.score.shortened - b.score.shortened ||
      collator.compare(a.candidate.province.shortName, b.candidate.province.shortName),
  );
  // Exact names first: if any name matches whole, only those count ("đn": both; "hà nội": one).
  const exact = scored.filter((entry) => entry.score.rank === 0);
  const pool = exact.length > 0 ? exact : scored;
  const byProvince = new Map<string, ProvinceMatch>();
  for (const { candidate } of pool) {
    if (byProvince.has(candidate.province.code)) continue;
    byProvince.set(
      candidate.province.code,
      candidate.via ? { province: candidate.province, via: candidate.via } : { province: candidate.province },
    );
  }
  const matches = [...byProvince.values()];
  const [only] = matches;
  if (!only) return { kind: 'none' };
  if (matches.length === 1) return { kind: 'found', ...only };
  return {
    kind: 'ambiguous',
    candidates: matches.slice(0, Math.max(limit, exact.length > 0 ? matches.length : 0)),
  };
}

// ---------------------------------------------------------------- communes

type Item =
  | { source: 0; type: string; names: FoldedName[]; commune: Commune }
  | { source: 1; type: string; names: FoldedName[]; old: OldCommune }
  | { source: 2; type: string; names: FoldedName[]; old: OldDistrict };

interface Indexes {
  all: Item[];
  byProvince: Map<string, Item[]>;
}
const indexes = new WeakMap<Places, Indexes>();
const nameOf = (item: Item) => (item.source === 0 ? item.commune.shortName : item.old.shortName);

function indexesOf(places: Places): Indexes {
  let found = indexes.get(places);
  if (found) return found;
  const { units } = places;
  const entries: { item: Item; provinceCodes: Set<string | undefined> }[] = [];
  for (const commune of units.communes) {
    entries.push({
      item: { source: 0, type: commune.type, names: [folded(commune.shortName)], commune },
      provinceCodes: new Set([commune.provinceCode]),
    });
  }
  for (const old of places.oldCommunes) {
    entries.push({
      item: { source: 1, type: old.type, names: [old.shortName, ...old.variants].map(folded), old },
      provinceCodes: new Set(
        old.targets.map((target) => units.communeByCode.get(target.communeCode)?.provinceCode),
      ),
    });
  }
  for (const old of places.oldDistricts) {
    if (old.communeCodes.length === 0) continue;
    entries.push({
      item: { source: 2, type: old.type, names: [old.shortName, ...old.variants].map(folded), old },
      provinceCodes: new Set([old.provinceCode]),
    });
  }
  // Sorted once by name (then province): a search then sorts by score alone, stably.
  const provinceName = (item: Item) =>
    item.source === 0 ? (units.provinceByCode.get(item.commune.provinceCode)?.shortName ?? '') : '';
  entries.sort(
    (a, b) =>
      collator.compare(nameOf(a.item), nameOf(b.item)) ||
      collator.compare(provinceName(a.item), provinceName(b.item)),
  );
  const all = entries.map((entry) => entry.item);
  const byProvince = new Map<string, Item[]>(units.provinces.map((province) => [province.code, []]));
  for (const { item, provinceCodes } of entries) {
    for (const code of provinceCodes) if (code) byProvince.get(code)?.push(item);
  }
  found = { all, byProvince };
  indexes.set(places, found);
  return found;
}

interface Group {
  score: Score;
  item: Item;
  entries: CommuneMatch[];
}

/** The current communes an item stands for, with how the resident's words led there. */
function entriesOf(places: Places, item: Item, provinceCode: string | undefined): CommuneMatch[] {
  const { communeByCode } = places.units;
  const inProvince = (commune: Commune | undefined): commune is Commune =>
    commune !== undefined && (!provinceCode || commune.provinceCode === provinceCode);
  if (item.source === 0) return [{ commune: item.commune }];
  if (item.source === 1) {
    const old = item.old;
    const targets = old.targets
      .map((target) => ({ target, commune: communeByCode.get(target.communeCode) }))
      .filter((entry): entry is { target: (typeof old.targets)[number]; commune: Commune } =>
        inProvince(entry.commune),
      )
      .sort((a, b) => collator.compare(a.commune.shortName, b.commune.shortName));
    const split = old.targets.length > 1;
    const into = split
      ? old.targets.map((target) => communeByCode.get(target.communeCode)?.name ?? target.communeCode)
      : undefined;
    return targets.map(({ target, commune }) => ({
      commune,
      via: {
        kind: 'old_commune',
        name: old.name,
        relation: split ? 'split' : target.relation,
        ...(target.sameCode ? { sameCode: true } : {}),
        ...(old.nameRepeats ? { district: old.districtName } : {}),
        ...(into ? { into } : {}),
      },
    }));
  }
  const old = item.old;
  const communes = old.communeCodes.map((code) => communeByCode.get(code)).filter(inProvince);
  const nameKey = folded(old.shortName).key;
  // The commune that kept the district's name first, then those wholly inside it.
  const order = (commune: Commune) =>
    folded(commune.shortName).key === nameKey ? 0 : old.partialCodes.has(commune.code) ? 2 : 1;
  communes.sort((a, b) => order(a) - order(b) || collator.compare(a.shortName, b.shortName));
  const into = old.communeCodes.map((code) => communeByCode.get(code)?.name ?? code);
  return communes.map((commune) => ({ commune, via: { kind: 'old_district', name: old.name, into } }));
}

function codesOf(item: Item, places: Places, provinceCode: string | undefined): string[] {
  const codes =
    item.source === 0
      ? [item.commune.code]
      : item.source === 1
        ? item.old.targets.map((target) => target.communeCode)
        : item.old.communeCodes;
  if (!provinceCode) return codes;
  const { communeByCode } = places.units;
  return codes.filter((code) => communeByCode.get(code)?.provinceCode === provinceCode);
}

function searchItems(
  places: Places,
  items: readonly Item[],
  words: readonly Word[],
  provinceCode: string | undefined,
  limit: number,
): PlaceSearchResult<CommuneMatch> {
  const variants = queryVariants(words, PLACE_TYPES);
  // Old names: whole words or a word's start, from two letters on.
  const oldVariants = variants.filter((variant) => variant.key.length >= 2 || isDigit(variant.key));
  const groups: Group[] = [];
  for (const item of items) {
    const score =
      item.source === 0
        ? scoreNames(item.names, item.type, variants, 3, true)
        : scoreNames(item.names, item.type, oldVariants, 2, false);
    if (score) groups.push({ score, item, entries: [] });
  }
  // Stable: equal scores keep the index's name order.
  groups.sort((a, b) => compareScores(a.score, b.score) || a.item.source - b.item.source);
  const seen = new Set<string>();
  const matches: CommuneMatch[] = [];
  let last: Group | undefined;
  for (const group of groups) {
    // Past the limit only names that fold like the last one (Văn Lang / Văn Lăng): never pick one.
    const collides =
      last !== undefined &&
      last.item.source === group.item.source &&
      compareScores(
        { ...last.score, accent: 0, shortened: 0 },
        { ...group.score, accent: 0, shortened: 0 },
      ) === 0 &&
      last.item.names[0]?.key === group.item.names[0]?.key;
    if (matches.length >= limit && !collides) {
      // Only counted: the codes, without building the matches.
      for (const code of codesOf(group.item, places, provinceCode)) seen.add(code);
      continue;
    }
    const fresh = entriesOf(places, group.item, provinceCode).filter(
      (entry) => !seen.has(entry.commune.code),
    );
    if (fresh.length === 0) continue;
    for (const entry of fresh) seen.add(entry.commune.code);
    matches.push(...fresh);
    last = group;
  }
  return { matches, total: seen.size };
}

/** The old communes of the districts the words name exactly, and the communes covering them. */
function narrowByDistrict(items: readonly Item[], words: readonly Word[]): Item[] | undefined {
  const variants = queryVariants(words, DISTRICT_LEVEL);
  const districts = items.filter(
    (item): item is Extract<Item, { source: 2 }> =>
      item.source === 2 && scoreNames(item.names, item.type, variants, 0, false) !== undefined,
  );
  if (districts.length === 0) return undefined;
  const codes = new Set(districts.map((item) => item.old.code));
  const covered = new Set(districts.flatMap((item) => item.old.communeCodes));
  return items.filter((item) =>
    item.source === 0
      ? covered.has(item.commune.code)
      : item.source === 1 && codes.has(item.old.districtCode),
  );
}

/**
 * The whole text first; when nothing matches, the commune followed by its old district:
 * "Lao Bảo, Hướng Hóa", "phường 4 quận 3", "p1 Đông Hà" (numbered wards repeat by district).
 */
function findIn(
  places: Places,
  items: readonly Item[],
  text: string,
  provinceCode: string | undefined,
  limit: number,
): PlaceSearchResult<CommuneMatch> {
  const comma = text.indexOf(',');
  const words = queryWords(comma >= 0 ? text.slice(0, comma) : text);
  if (comma >= 0) {
    const narrowed = narrowByDistrict(items, queryWords(text.slice(comma + 1)));
    const result = searchItems(places, narrowed ?? items, words, provinceCode, limit);
    return result.total > 0 || !narrowed ? result : searchItems(places, items, words, provinceCode, limit);
  }
  const result = searchItems(places, items, words, provinceCode, limit);
  if (result.total > 0) return result;
  for (let at = 1; at < words.length; at++) {
    const narrowed = narrowByDistrict(items, words.slice(at));
    if (!narrowed) continue;
    const found = searchItems(places, narrowed, words.slice(0, at), provinceCode, limit);
    if (found.total > 0) return found;
  }
  return result;
}

/**
 * Communes of one province for a typed answer: current names first (ranked as `findCommunes`),
 * then old communes (a split one gives every commune that received part of it) and old
 * districts (the communes covering it). Type words are ignored but steer: "thị trấn Lao Bảo"
 * prefers the old thị trấn, "huyện Đầm Hà" the district. The resident confirms the commune.
 */
export function findCommunePlaces(
  places: Places,
  provinceCode: string,
  text: string,
  limit = 8,
): PlaceSearchResult<CommuneMatch> {
  const items = indexesOf(places).byProvince.get(provinceCode) ?? [];
  return findIn(places, items, text, provinceCode, limit);
}

/** The same search over every province, each match with its province (moderation UI). */
export function findCommunePlacesAnywhere(
  places: Places,
  text: string,
  limit = 8,
): PlaceSearchResult<CommuneMatchAnywhere> {
  const { matches, total } = findIn(places, indexesOf(places).all, text, undefined, limit);
  const { provinceByCode } = places.units;
  return {
    matches: matches.flatMap((match) => {
      const province = provinceByCode.get(match.commune.provinceCode);
      return province ? [{ ...match, province }] : [];
    }),
    total,
  };
}
