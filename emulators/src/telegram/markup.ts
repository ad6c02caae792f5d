import { badRequest } from './api-error';
import type { InlineKeyboardButton, KeyboardButton, ReplyMarkup } from './types';

const INLINE_ACTIONS = [
  'callback_data',
  'url',
  'web_app',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
] as const;

const MAX_BUTTONS = 100;
const MAX_CALLBACK_DATA_BYTES = 64;

const markupJsonError = () => badRequest("can't parse reply keyboard markup JSON object");

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Accepts reply_markup as an object or as a JSON string (query, form and multipart requests send strings). */
export function parseReplyMarkup(
  raw: unknown,
  options: { inlineOnly?: boolean } = {},
): ReplyMarkup | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw markupJsonError();
    }
  }
  if (!isRecord(value)) throw markupJsonError();
  if ('inline_keyboard' in value) return { inline_keyboard: validateInlineKeyboard(value.inline_keyboard) };
  if (options.inlineOnly) throw badRequest('inline keyboard expected');
  if ('keyboard' in value) {
    const keyboard = validateKeyboard(value.keyboard);
    const placeholder = value.input_field_placeholder;
    if (placeholder !== undefined && (typeof placeholder !== 'string' || placeholder.length > 64)) {
      throw markupJsonError();
    }
    return {
      keyboard,
      ...pickBooleans(value, ['is_persistent', 'resize_keyboard', 'one_time_keyboard', 'selective']),
      ...(typeof placeholder === 'string' ? { input_field_placeholder: placeholder } : {}),
    };
  }
  if ('remove_keyboard' in value) {
    if (value.remove_keyboard !== true) throw markupJsonError();
    return { remove_keyboard: true, ...pickBooleans(value, ['selective']) };
  }
  if ('force_reply' in value) {
    if (value.force_reply !== true) throw markupJsonError();
    const placeholder = value.input_field_placeholder;
    if (placeholder !== undefined && (typeof placeholder !== 'string' || placeholder.length > 64)) {
      throw markupJsonError();
    }
    return {
      force_reply: true,
      ...pickBooleans(value, ['selective']),
      ...(typeof placeholder === 'string' ? { input_field_placeholder: placeholder } : {}),
    };
  }
  throw markupJsonError();
}

function pickBooleans(value: Record<string, unknown>, keys: string[]): Record<string, boolean> {
  const picked: Record<string, boolean> = {};
  for (const key of keys) {
    if (value[key] === undefined) continue;
    if (typeof value[key] !== 'boolean') throw markupJsonError();
    picked[key] = value[key];
  }
  return picked;
}

function rowsOf(value: unknown): unknown[][] {
  if (!Array.isArray(value) || !value.every((row) => Array.isArray(row))) throw markupJsonError();
  const rows = value as unknown[][];
  const count = rows.reduce((total, row) => total + row.length, 0);
  if (count > MAX_BUTTONS) throw badRequest('reply markup is too long');
  return rows;
}

function validateInlineKeyboard(value: unknown): InlineKeyboardButton[][] {
  return rowsOf(value).map((row) =>
    row.map((button) => {
      if (!isRecord(button) || typeof button.text !== 'string') throw markupJsonError();
      if (button.text.trim() === '') throw badRequest('text buttons are unallowed in the inline keyboard');
      const actions = INLINE_ACTIONS.filter((action) => button[action] !== undefined);
      if (actions.length === 0) throw badRequest('text buttons are unallowed in the inline keyboard');
      if (actions.length > 1) throw markupJsonError();
      if (actions[0] === 'callback_data') {
        const data = button.callback_data;
        if (typeof data !== 'string') throw markupJsonError();
        const bytes = Buffer.byteLength(data, 'utf8');
        if (bytes === 0 || bytes > MAX_CALLBACK_DATA_BYTES) throw badRequest('BUTTON_DATA_INVALID');
      }
      if (actions[0] === 'url') {
        if (typeof button.url !== 'string' || !/^(https?|tg):\/\/\S+$/i.test(button.url)) {
          throw badRequest('BUTTON_URL_INVALID');
        }
      }
      return { ...button, text: button.text } as InlineKeyboardButton;
    }),
  );
}

function validateKeyboard(value: unknown): KeyboardButton[][] {
  return rowsOf(value).map((row) =>
    row.map((button) => {
      // A bare string is shorthand for { text }.
      if (typeof button === 'string') return { text: button };
      if (!isRecord(button) || typeof button.text !== 'string') throw markupJsonError();
      if (button.text.trim() === '') throw badRequest('keyboard button text is empty');
      return { ...button, text: button.text } as KeyboardButton;
    }),
  );
}
