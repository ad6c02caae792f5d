import { toNfc } from '../text/normalize';

/**
 * The rows of a small RFC 4180 CSV file (quoted fields, doubled quotes) as records keyed by
 * the header, NFC. Throws when the header lacks an expected column or a row has the wrong width.
 */
export function parseCsvRecords(
  text: string,
  expected: readonly string[],
  file: string,
): Record<string, string>[] {
  const rows = parseCsvRows(toNfc(text));
  const header = rows.shift() ?? [];
  const missing = expected.filter((column) => !header.includes(column));
  if (missing.length > 0) throw new Error(`${file}: missing columns ${missing.join(', ')}`);
  return rows.map((fields, index) => {
    if (fields.length !== header.length) {
      throw new Error(`${file} line ${index + 2}: ${fields.length} fields, expected ${header.length}`);
    }
    const record: Record<string, string> = {};
    for (const [at, column] of header.entries()) record[column] = fields[at] ?? '';
    return record;
  });
}

function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    if (quoted) {
      if (char === '"' && text[at + 1] === '"') {
        field += '"';
        at++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[at + 1] === '\n') at++;
      row.push(field);
      field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
