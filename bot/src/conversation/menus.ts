import { foldForSearch } from '@tinbao/shared';
import type { DraftMenu } from './draft';
import type { MenuOption } from './types';

/** The option every step offers to go one step back; numbered 0 where menus are text. */
export const BACK = 'back';

/**
 * How a menu's options are numbered when a channel shows them as text: «Quay lại» is 0,
 * the others 1, 2, 3… in order. The core reads typed numbers with the same rule.
 */
export function numberedOptions(options: readonly MenuOption[]): { number: number; option: MenuOption }[] {
  let next = 1;
  return options.map((option) => ({ number: option.id === BACK ? 0 : next++, option }));
}

/**
 * How much of a typed answer may pick an option: `loose` (a number, the label or the start
 * of its words) where only a choice makes sense; `numbers` (a number or the whole label)
 * where a typed text is also a search; `exact` (the whole label) where text is free.
 */
export type MatchMode = 'loose' | 'numbers' | 'exact';

/** The option of the menu a typed answer names, if any ("2", "mua ban", "Đồng ý"). */
export function matchTypedOption(
  menu: DraftMenu | undefined,
  text: string,
  mode: MatchMode,
): string | undefined {
  if (!menu) return undefined;
  const options = menu.options.map((id, index) => ({ id, label: menu.labels[index] ?? id }));
  const number = /^\s*(\d{1,2})\s*[.)]?\s*$/.exec(text);
  if (number && mode !== 'exact') {
    const wanted = Number(number[1]);
    return numberedOptions(options).find((entry) => entry.number === wanted)?.option.id;
  }
  const key = foldForSearch(text);
  if (!key) return undefined;
  const folded = options.map((option) => ({ id: option.id, key: foldForSearch(option.label) }));
  const exact = folded.find((option) => option.key === key);
  if (exact) return exact.id;
  if (mode !== 'loose' || key.length < 3) return undefined;
  const starts = folded.filter((option) => option.key.startsWith(key));
  return starts.length === 1 ? starts[0]?.id : undefined;
}
