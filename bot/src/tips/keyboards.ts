import {
  type AdminUnits,
  type Commune,
  ObservedWhenSchema,
  type Province,
  TipCategorySchema,
  VenueTypeSchema,
} from '@tinbao/shared';
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import {
  BUTTONS,
  CATEGORY_LABELS,
  EDIT_LABELS,
  type EditTarget,
  VENUE_LABELS,
  WHEN_LABELS,
} from './messages';

/**
 * Callback data, version 1: `<kind>:<value>`, at most 64 bytes. A new layout gets new kind
 * letters, so buttons of an older message are recognised as stale rather than misread.
 */
export const DATA = {
  startTip: 't:new',
  category: (value: string) => `c:${value}`,
  province: (code: string) => `p:${code}`,
  commune: (code: string) => `m:${code}`,
  changeProvince: 'm:back',
  venue: (value: string) => `v:${value}`,
  when: (value: string) => `w:${value}`,
  photosDone: 'f:done',
  photosNone: 'f:none',
  consentYes: 'k:y',
  consentNo: 'k:n',
  send: 's:send',
  edit: 's:edit',
  cancel: 's:cancel',
  editTarget: (target: EditTarget) => `e:${target}`,
  editBack: 'e:back',
} as const;

export function parseData(data: string): { kind: string; value: string } | undefined {
  const match = /^([a-z]):([a-z0-9_]{1,32})$/.exec(data);
  return match ? { kind: match[1]!, value: match[2]! } : undefined;
}

const button = (text: string, callback_data: string): InlineKeyboardButton => ({ text, callback_data });
const inRows = (buttons: InlineKeyboardButton[], perRow: number): InlineKeyboardButton[][] => {
  const rows: InlineKeyboardButton[][] = [];
  for (let index = 0; index < buttons.length; index += perRow)
    rows.push(buttons.slice(index, index + perRow));
  return rows;
};
const markup = (rows: InlineKeyboardButton[][]): InlineKeyboardMarkup => ({ inline_keyboard: rows });

export const startKeyboard = () => markup([[button(BUTTONS.startTip, DATA.startTip)]]);

export const categoryKeyboard = () =>
  markup(TipCategorySchema.options.map((value) => [button(CATEGORY_LABELS[value], DATA.category(value))]));

export const provinceKeyboard = (provinces: readonly Province[]) =>
  markup(
    inRows(
      provinces.map((province) => button(province.shortName, DATA.province(province.code))),
      provinces.length > 8 ? 3 : 1,
    ),
  );

/** Every commune button names its province too: 244 commune names repeat across provinces. */
export const communeKeyboard = (units: AdminUnits, communes: readonly Commune[]) =>
  markup([
    ...communes.map((commune) => [
      button(
        `${commune.name} (${units.provinceByCode.get(commune.provinceCode)?.shortName ?? commune.provinceCode})`,
        DATA.commune(commune.code),
      ),
    ]),
    [button(BUTTONS.changeProvince, DATA.changeProvince)],
  ]);

export const changeProvinceKeyboard = () => markup([[button(BUTTONS.changeProvince, DATA.changeProvince)]]);

export const venueKeyboard = () =>
  markup(
    inRows(
      VenueTypeSchema.options.map((value) => button(VENUE_LABELS[value], DATA.venue(value))),
      2,
    ),
  );

export const whenKeyboard = () =>
  markup(ObservedWhenSchema.options.map((value) => [button(WHEN_LABELS[value], DATA.when(value))]));

export const photosKeyboard = (count: number) =>
  markup([
    [count === 0 ? button(BUTTONS.skipPhotos, DATA.photosNone) : button(BUTTONS.photosDone, DATA.photosDone)],
  ]);

export const consentKeyboard = () =>
  markup([[button(BUTTONS.consentYes, DATA.consentYes), button(BUTTONS.consentNo, DATA.consentNo)]]);

export const summaryKeyboard = () =>
  markup([
    [button(BUTTONS.send, DATA.send), button(BUTTONS.edit, DATA.edit), button(BUTTONS.cancel, DATA.cancel)],
  ]);

export const editKeyboard = () =>
  markup([
    ...inRows(
      (Object.keys(EDIT_LABELS) as EditTarget[]).map((target) =>
        button(EDIT_LABELS[target], DATA.editTarget(target)),
      ),
      2,
    ),
    [button(BUTTONS.backToSummary, DATA.editBack)],
  ]);
