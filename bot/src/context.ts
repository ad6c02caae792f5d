import type { Context, SessionFlavor } from 'grammy';
import type { Draft } from './tips/draft';

/**
 * The bot's context: the draft as the session, and `chatKey`, the keyed hash of the chat
 * that names the draft in Redis (set only in private chats, before the session loads).
 */
export type BotContext = Context & SessionFlavor<Draft> & { chatKey?: string };
