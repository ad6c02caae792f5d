/** Text as it enters TinBao: NFC, so "ệ" typed on any keyboard compares equal. */
export function toNfc(text: string): string {
  return text.normalize('NFC');
}

/**
 * A search key for Vietnamese names: marks removed, đ → d, lower case, and every
 * non-alphanumeric character dropped, so "Đakrông", "dak rong" and "dakrong" fold to one
 * key. Residents type "Hòa" and "Hoà" (tone placed differently): both fold to "hoa".
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}
