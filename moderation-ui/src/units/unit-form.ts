import type { Messages } from '../i18n/vi';

export type UnitFormErrors = Partial<Record<'code' | 'name', string>>;

/** A unit code as the API stores it: upper case, no surrounding spaces ("ca-19564 " → "CA-19564"). */
export const normalizeUnitCode = (code: string) => code.trim().toUpperCase();

/** The API's rules for a new unit, checked before sending so the messages are in the UI's language. */
export function validateNewUnit(t: Messages, code: string, name: string): UnitFormErrors {
  const errors: UnitFormErrors = {};
  if (!code.trim()) errors.code = t.validation.required(t.admin.unitCode);
  else if (!/^[A-Z0-9][A-Z0-9-]{1,39}$/.test(normalizeUnitCode(code))) errors.code = t.validation.unitCode;
  if (!name.trim()) errors.name = t.validation.required(t.admin.unitName);
  else if (name.trim().length > 200) errors.name = t.validation.tooLong(t.admin.unitName, 200);
  return errors;
}
