import { toNfc } from '../text/normalize';
import type { CommuneMatch, ProvinceMatch } from './search';

const shortProvinceName = (name: string) => name.replace(/^(Tỉnh|Thành phố) /u, '');

/**
 * One Vietnamese sentence on how an old name leads to the proposed unit, for the resident to
 * confirm; undefined when the match is a current name (or a plain abbreviation such as "hcm").
 *   "Thị trấn Krông Klang nay là Xã Hướng Hiệp"
 *   "Xã Tân Long cũ nay thuộc Xã Lao Bảo"
 *   "Xã Cống Vị cũ nay được chia vào: Phường Ngọc Hà, Phường Giảng Võ"
 *   "Huyện Đầm Hà cũ nay gồm: Xã Đầm Hà, Xã Quảng Tân"
 *   "Quảng Bình nay thuộc Tỉnh Quảng Trị"
 */
export function describeVia(match: CommuneMatch | ProvinceMatch): string | undefined {
  const via = match.via;
  if (!via) return undefined;
  if ('province' in match && (via.kind === 'old_province' || via.kind === 'alias')) {
    const province = match.province.name;
    if (via.kind === 'old_province') return toNfc(`${shortProvinceName(via.name)} nay thuộc ${province}`);
    switch (via.aliasKind) {
      case 'former_city':
        return toNfc(`${capitalise(via.name)} nay thuộc ${province}`);
      case 'old_name':
      case 'nickname':
        return toNfc(`${capitalise(via.name)} nay là ${province}`);
      default:
        return undefined;
    }
  }
  if (!('commune' in match)) return undefined;
  const commune = match.commune.name;
  if (via.kind === 'old_district') {
    const into = via.into ?? [commune];
    return toNfc(
      into.length === 1 ? `${via.name} nay là ${into[0]}` : `${via.name} cũ nay gồm: ${into.join(', ')}`,
    );
  }
  if (via.kind !== 'old_commune') return undefined;
  const name = via.district ? `${via.name} (${via.district})` : via.name;
  if (via.relation === 'split')
    return toNfc(`${name} cũ nay được chia vào: ${(via.into ?? [commune]).join(', ')}`);
  if (via.relation === 'merged' && !via.sameCode) return toNfc(`${name} cũ nay thuộc ${commune}`);
  return toNfc(`${name} nay là ${commune}`);
}

// Aliases are stored as residents write them ("sài gòn", "nha trang").
const capitalise = (text: string) =>
  text.replace(/(^|[\s-])(\p{Ll})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
