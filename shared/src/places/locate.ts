import type { Commune, Province } from '../admin-units/admin-units';
import type { Places } from './places';

export type CommuneAtResult =
  | { kind: 'inside'; commune: Commune; province: Province }
  /** In a gap between simplified boundaries or just offshore: the closest commune's edge. */
  | { kind: 'near'; commune: Commune; province: Province; distanceKm: number }
  /** Not in Vietnam (or out at sea, more than a few km from any commune). */
  | { kind: 'outside' };

/**
 * The commune of a location pin (WGS 84 degrees): the one whose simplified boundary holds the
 * point, else the one whose boundary is within 5 km. The boundaries load on the first call.
 */
export function communeAt(places: Places, latitude: number, longitude: number): CommuneAtResult {
  if (!(Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180)) return { kind: 'outside' };
  const found = places.locator().locate(latitude, longitude);
  if (found.kind === 'outside') return found;
  const commune = places.units.communeByCode.get(found.code);
  const province = commune && places.units.provinceByCode.get(commune.provinceCode);
  if (!commune || !province) return { kind: 'outside' };
  return found.kind === 'inside'
    ? { kind: 'inside', commune, province }
    : { kind: 'near', commune, province, distanceKm: found.distanceKm };
}
