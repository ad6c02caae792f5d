/**
 * Shapes the emulator produces. They follow the Telegram Bot API (a subset of its fields) so a
 * test can read them like real Telegram objects; emulator-only fields are marked as such.
 */

export interface TelegramUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface TelegramChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  first_name?: string;
  title?: string;
}

export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
}

export interface InlineKeyboardButton {
  text: string;
  callback_data?: string;
  url?: string;
  [other: string]: unknown;
}

export interface KeyboardButton {
  text: string;
  request_location?: boolean;
  request_contact?: boolean;
  [other: string]: unknown;
}

export type ReplyMarkup =
  | { inline_keyboard: InlineKeyboardButton[][] }
  | {
      keyboard: KeyboardButton[][];
      is_persistent?: boolean;
      resize_keyboard?: boolean;
      one_time_keyboard?: boolean;
      input_field_placeholder?: string;
      selective?: boolean;
    }
  | { remove_keyboard: true; selective?: boolean }
  | { force_reply: true; input_field_placeholder?: string; selective?: boolean };

export interface PhotoSize {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  file_size?: number;
}

export interface FileObject {
  file_id: string;
  file_unique_id: string;
  file_size?: number;
  file_name?: string;
  mime_type?: string;
  [other: string]: unknown;
}

export interface EmulatorMessage {
  message_id: number;
  date: number;
  chat: TelegramChat;
  from?: TelegramUser;
  text?: string;
  entities?: MessageEntity[];
  caption?: string;
  caption_entities?: MessageEntity[];
  photo?: PhotoSize[];
  document?: FileObject;
  sticker?: FileObject;
  voice?: FileObject;
  video?: FileObject;
  audio?: FileObject;
  animation?: FileObject;
  video_note?: FileObject;
  contact?: { phone_number: string; first_name: string; user_id?: number };
  location?: { latitude: number; longitude: number };
  reply_markup?: ReplyMarkup;
  reply_to_message?: EmulatorMessage;
  edit_date?: number;
  /** Emulator only: true once the bot edited the message. */
  edited?: boolean;
  /** Emulator only: the parse_mode the bot sent the text (or caption) with. */
  parse_mode?: string;
}

export type BotEventType =
  | 'sendMessage'
  | 'editMessageText'
  | 'editMessageCaption'
  | 'editMessageReplyMarkup'
  | 'answerCallbackQuery'
  | 'sendPhoto'
  | 'sendDocument'
  | 'deleteMessage';

/** One thing the bot did in a chat, in order; `seq` increases per chat. */
export interface BotEvent {
  seq: number;
  type: BotEventType;
  message_id?: number;
  text?: string;
  reply_markup?: ReplyMarkup;
  callback_query_id?: string;
  /** answerCallbackQuery only */
  show_alert?: boolean;
  date: number;
}

export interface CallbackAnswer {
  callback_query_id: string;
  answered: boolean;
  text?: string;
  show_alert?: boolean;
  url?: string;
  cache_time?: number;
}

export interface UploadedFileInfo {
  file_id: string;
  file_unique_id: string;
  file_size: number;
  file_path: string;
}

export type OtherMessageKind =
  | 'sticker'
  | 'voice'
  | 'video'
  | 'document'
  | 'audio'
  | 'animation'
  | 'video_note'
  | 'contact';
