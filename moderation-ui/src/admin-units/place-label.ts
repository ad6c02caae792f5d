import type { CommunePlace } from '@tinbao/shared/api/places';

interface PlaceMessages {
  fromOld(name: string): string;
  fromSplit(name: string): string;
  fromDistrict(name: string): string;
}

const shortProvince = (name: string) => name.replace(/^(Tỉnh|Thành phố) /u, '');

/** How the old name led to this commune: "từ Thị trấn Lao Bảo cũ"; null for a current name. */
export function placeOrigin(place: CommunePlace, t: PlaceMessages): string | null {
  const via = place.via;
  if (!via) return null;
  if (via.kind === 'old_district') return t.fromDistrict(via.name);
  const name = via.district ? `${via.name} (${via.district})` : via.name;
  return via.relation === 'split' ? t.fromSplit(name) : t.fromOld(name);
}

/** "Xã Lao Bảo (Quảng Trị) — từ Thị trấn Lao Bảo cũ": names repeat across provinces. */
export function placeLabel(place: CommunePlace, t: PlaceMessages): string {
  const origin = placeOrigin(place, t);
  const base = `${place.name} (${shortProvince(place.provinceName)})`;
  return origin ? `${base} — ${origin}` : base;
}
