/**
 * Shapes of the Zalo Bot Platform API as the emulator produces them, and the control API's views
 * of a chat. Ids are opaque strings on Zalo (hex for messages and users); dates are Unix ms.
 */

export type ZaloEventName =
  | 'message.text.received'
  | 'message.image.received'
  | 'message.sticker.received'
  | 'message.unsupported.received';

export type ZaloChatType = 'PRIVATE' | 'GROUP';

export interface ZaloUser {
  id: string;
  display_name: string;
  is_bot: boolean;
}

export interface ZaloChat {
  id: string;
  chat_type: ZaloChatType;
}

export interface ZaloMessage {
  message_id: string;
  from: ZaloUser;
  chat: ZaloChat;
  /** Unix time in milliseconds. */
  date: number;
  text?: string;
  /** message.image.received: a URL that expires. */
  photo?: string;
  caption?: string;
  /** message.sticker.received: the sticker id and its image. */
  sticker?: string;
  url?: string;
}

/** One update: the body of a webhook POST, the `result` of getUpdates. */
export interface ZaloEvent {
  event_name: ZaloEventName;
  message: ZaloMessage;
}

export type ZaloMessageKind = 'text' | 'photo' | 'sticker' | 'unsupported';

/** A message of a chat as the control API lists it, the resident's or the bot's. */
export interface ZaloChatMessage {
  /** Increases by one per message in the chat (both sides); `after=<seq>` continues from one. */
  seq: number;
  message_id: string;
  from_bot: boolean;
  kind: ZaloMessageKind;
  /** Unix time in milliseconds. */
  date: number;
  text?: string;
  photo?: string;
  caption?: string;
  sticker?: string;
  url?: string;
  /** The resident's messages: who wrote it. */
  user_id?: string;
  display_name?: string;
}

export type ZaloBotEventType = 'sendMessage' | 'sendPhoto' | 'sendSticker' | 'sendChatAction';

/** One thing the bot did in a chat, in order; `seq` increases per chat. */
export interface ZaloBotEvent {
  seq: number;
  type: ZaloBotEventType;
  message_id?: string;
  text?: string;
  /** sendChatAction only. */
  action?: string;
  date: number;
}

export interface ZaloDelivered {
  message_id: string;
  /** The Zalo user id the bot sees as `from.id` (tests assert it never leaks into TinBao's data). */
  user_id: string;
  chat_id: string;
  event_name: ZaloEventName;
  /** The message's seq in the chat: `waitForMessages(chatId, { after: seq })` waits for the answer. */
  seq: number;
  /** message.image.received: the photo's URL. */
  photo?: string;
}
