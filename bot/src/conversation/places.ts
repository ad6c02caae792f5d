import {
  type AdminUnits,
  type Commune,
  findCommunes,
  foldWords,
  type Province,
  searchProvinces,
} from '@tinbao/shared';

/**
 * The place search the conversation needs, as a port: every channel (and the web form)
 * finds "Lao Bảo" the same way. `note` says how a match was found when it was not by its
 * current name ("Thị trấn Krông Klang nay là Xã Hướng Hiệp").
 */
export interface PlaceFinder {
  provinces: readonly Province[];
  province(code: string): Province | undefined;
  commune(code: string): Commune | undefined;
  resolveProvince(text: string): ProvinceAnswer;
  findCommunes(
    provinceCode: string,
    text: string,
    limit: number,
  ): { matches: CommuneProposal[]; total: number };
  communeAt(latitude: number, longitude: number): Located;
  /** An example to type for the province: one of its own communes, folded ("ba dinh"). */
  communeExample(provinceCode: string | undefined): string;
}

export type ProvinceAnswer =
  | { kind: 'found'; province: Province; note?: string }
  | { kind: 'ambiguous'; candidates: Province[] }
  | { kind: 'none' };

export interface CommuneProposal {
  commune: Commune;
  note?: string;
}

/** `unplaced`: in Vietnam, but no commune could be named (no boundaries loaded). */
export type Located =
  | { kind: 'inside' | 'near'; commune: Commune }
  | { kind: 'unplaced' }
  | { kind: 'outside' };

/** Vietnam's extent, islands included: a pin outside it names no commune of ours. */
const VIETNAM_BOX = { south: 8.2, north: 23.4, west: 102.1, east: 117.9 };

/** A place finder over today's names only (current provinces and communes). */
export function createBasicPlaceFinder(units: AdminUnits): PlaceFinder {
  return {
    provinces: units.provinces,
    province: (code) => units.provinceByCode.get(code),
    commune: (code) => units.communeByCode.get(code),
    resolveProvince(text) {
      const matches = searchProvinces(units, text);
      if (matches.length === 1 && matches[0]) return { kind: 'found', province: matches[0] };
      return matches.length === 0 ? { kind: 'none' } : { kind: 'ambiguous', candidates: matches };
    },
    findCommunes(provinceCode, text, limit) {
      const { matches, total } = findCommunes(units, provinceCode, text, limit);
      return { matches: matches.map((commune) => ({ commune })), total };
    },
    communeAt(latitude, longitude) {
      const inside =
        latitude >= VIETNAM_BOX.south &&
        latitude <= VIETNAM_BOX.north &&
        longitude >= VIETNAM_BOX.west &&
        longitude <= VIETNAM_BOX.east;
      return inside ? { kind: 'unplaced' } : { kind: 'outside' };
    },
    communeExample: (code) => communeExampleOf(units, code),
  };
}

/** An example to type for the chosen province: one of its own communes, folded ("ba dinh"). */
export function communeExampleOf(units: AdminUnits, provinceCode: string | undefined): string {
  const communes = provinceCode ? units.communesOf(provinceCode) : [];
  // Two words without a number ("ba dinh", not "ha giang 2") show that accents and spaces are optional.
  const commune =
    communes.find(
      (candidate) => foldWords(candidate.shortName).length > 1 && !/\d/.test(candidate.shortName),
    ) ?? communes[0];
  return commune ? foldWords(commune.shortName).join(' ') : 'dak rong';
}
