import { randomInt } from 'node:crypto';

// Crockford's base32: no I, L, O or U, so a code read aloud over a bad line is not misheard.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A receipt such as TB-7K4P9-QRM2X: 50 random bits, short enough to read aloud. */
export function createReceiptCode(): string {
  const pick = () => ALPHABET[randomInt(ALPHABET.length)];
  const group = () => Array.from({ length: 5 }, pick).join('');
  return `TB-${group()}-${group()}`;
}

/** Accepts what a resident types back: any case, spaces or missing dashes, O for 0, I/L for 1. */
export function normalizeReceiptCode(input: string): string | undefined {
  const compact = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  const body = compact.startsWith('TB') ? compact.slice(2) : compact;
  if (!/^[0-9A-HJKMNP-TV-Z]{10}$/.test(body)) return undefined;
  return `TB-${body.slice(0, 5)}-${body.slice(5)}`;
}
