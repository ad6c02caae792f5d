import {
  type AdminUnits,
  type Commune,
  communeAt,
  describeVia,
  findCommunePlaces,
  foldWords,
  type Places,
  type Province,
  resolveProvince,
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

/** `unplaced`: in Vietnam, but no commune could be named (a finder without boundaries). */
export type Located =
  | { kind: 'inside' | 'near'; commune: Commune }
  | { kind: 'unplaced' }
  | { kind: 'outside' };

/**
 * The place finder residents get: current and pre-2025 names, old districts, nicknames, and
 * pins placed by the commune boundaries. Each proposal reached through an old name carries the
 * sentence that says how ("Thị trấn Krông Klang nay là Xã Hướng Hiệp") for the resident to confirm.
 */
export function createPlaceFinder(places: Places): PlaceFinder {
  const { units } = places;
  return {
    provinces: units.provinces,
    province: (code) => units.provinceByCode.get(code),
    commune: (code) => units.communeByCode.get(code),
    resolveProvince(text) {
      const answer = resolveProvince(places, text);
      if (answer.kind === 'found')
        return { kind: 'found', province: answer.province, note: describeVia(answer) };
      if (answer.kind === 'none') return answer;
      return { kind: 'ambiguous', candidates: answer.candidates.map((candidate) => candidate.province) };
    },
    findCommunes(provinceCode, text, limit) {
      const { matches, total } = findCommunePlaces(places, provinceCode, text, limit);
      // A split commune or a district names its communes once, on the first of them.
      const said = new Set<string>();
      return {
        matches: matches.map((match) => {
          const note = describeVia(match);
          if (!note || said.has(note)) return { commune: match.commune };
          said.add(note);
          return { commune: match.commune, note };
        }),
        total,
      };
    },
    communeAt(latitude, longitude) {
      const found = communeAt(places, latitude, longitude);
      return found.kind === 'outside' ? found : { kind: found.kind, commune: found.commune };
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
