import { z } from 'zod';
import { type EmulatorState, nowSeconds } from './state';
import type { EmulatorMessage, TelegramChat, TelegramUser } from './types';

const UPDATE_KINDS = [
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
  'business_connection',
  'business_message',
  'edited_business_message',
  'deleted_business_messages',
  'message_reaction',
  'message_reaction_count',
  'inline_query',
  'chosen_inline_result',
  'callback_query',
  'shipping_query',
  'pre_checkout_query',
  'purchased_paid_media',
  'poll',
  'poll_answer',
  'my_chat_member',
  'chat_member',
  'chat_join_request',
  'chat_boost',
  'removed_chat_boost',
] as const;

const MESSAGE_KINDS = [
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
  'business_message',
] as const;

const ChatSchema = z.looseObject({
  id: z.number().int(),
  type: z.enum(['private', 'group', 'supergroup', 'channel']),
});

const UserSchema = z.looseObject({
  id: z.number().int().positive(),
  is_bot: z.boolean(),
  first_name: z.string(),
});

const MessageSchema = z.looseObject({
  message_id: z.number().int().positive().optional(),
  date: z.number().int().nonnegative().optional(),
  chat: ChatSchema,
  from: UserSchema.optional(),
});

/** Loose on purpose: only what the emulator itself relies on is checked, the rest passes through. */
export const UpdateSchema = z
  .looseObject({
    update_id: z.number().int().positive().optional(),
    ...Object.fromEntries(MESSAGE_KINDS.map((kind) => [kind, MessageSchema.optional()])),
    callback_query: z
      .looseObject({
        id: z.string().min(1).optional(),
        from: UserSchema,
        message: MessageSchema.optional(),
        data: z.string().optional(),
        chat_instance: z.string().optional(),
      })
      .optional(),
    my_chat_member: z
      .looseObject({
        chat: ChatSchema,
        from: UserSchema,
        date: z.number().int().optional(),
        new_chat_member: z.looseObject({ status: z.string() }),
      })
      .optional(),
  })
  .refine((update) => UPDATE_KINDS.filter((kind) => update[kind] !== undefined).length === 1, {
    message: `an update must carry exactly one of ${UPDATE_KINDS.join(', ')}`,
  });

export interface DeliveredUpdate {
  update_id: number;
  message_id?: number;
  callback_query_id?: string;
}

/**
 * Queues an update as Telegram would send it: registers the chat (so the bot may answer), fills
 * message_id, date, chat_instance and callback ids when the caller left them out, and keeps the
 * resident's messages in the chat history.
 */
export function deliverUpdate(state: EmulatorState, input: unknown): DeliveredUpdate {
  const update = UpdateSchema.parse(input) as Record<string, unknown> & { update_id?: number };
  const result: Omit<DeliveredUpdate, 'update_id'> = {};
  for (const kind of MESSAGE_KINDS) {
    const message = update[kind] as (EmulatorMessage & { message_id?: number }) | undefined;
    if (!message) continue;
    const chat = state.ensureChat(message.chat, message.from);
    const complete: EmulatorMessage = {
      ...message,
      message_id: message.message_id ?? state.nextMessageId(chat),
      date: message.date ?? nowSeconds(),
    };
    const existing = chat.messages.get(complete.message_id);
    if (kind.startsWith('edited_') && existing) {
      state.storeMessage(chat, { ...existing.message, ...complete }, false);
    } else {
      state.storeMessage(chat, complete, false);
    }
    update[kind] = complete;
    result.message_id = complete.message_id;
  }
  const callback = update.callback_query as
    | { id?: string; from: TelegramUser; message?: EmulatorMessage; chat_instance?: string }
    | undefined;
  if (callback) {
    const chatId = callback.message?.chat.id ?? callback.from.id;
    if (callback.message) state.ensureChat(callback.message.chat, callback.from);
    const id = callback.id ?? state.createCallbackQuery(chatId);
    if (callback.id) state.registerCallbackQuery(callback.id, chatId);
    update.callback_query = { ...callback, id, chat_instance: callback.chat_instance ?? String(chatId) };
    result.callback_query_id = id;
  }
  const membership = update.my_chat_member as
    | { chat: TelegramChat; from: TelegramUser; date?: number; new_chat_member: { status: string } }
    | undefined;
  if (membership) {
    const chat = state.ensureChat(membership.chat, membership.from);
    // A private chat's "kicked" means the resident blocked the bot.
    chat.blocked = membership.new_chat_member.status === 'kicked';
    update.my_chat_member = { ...membership, date: membership.date ?? nowSeconds() };
  }
  const updateId = state.enqueueUpdate(update);
  return { update_id: updateId, ...result };
}

/** bot_command entity for a leading "/command[@bot]", which grammY's bot.command() relies on. */
export function commandEntities(text: string): { type: 'bot_command'; offset: number; length: number }[] {
  const match = /^\/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?/.exec(text);
  return match ? [{ type: 'bot_command', offset: 0, length: match[0].length }] : [];
}
