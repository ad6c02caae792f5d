import { Composer } from 'grammy';
import type { BotContext } from '../context';
import { TEXT } from './messages';

/** In groups and channels the bot takes no tip: what is said there is seen by others. */
export function groupChatGuard(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const shared = composer.filter((ctx) => ctx.chat !== undefined && ctx.chat.type !== 'private');
  shared.on('callback_query', async (ctx) => {
    await ctx.answerCallbackQuery({ text: TEXT.groupChat, show_alert: true }).catch(() => {});
  });
  shared.on('message', async (ctx) => {
    await ctx.reply(TEXT.groupChat);
  });
  // Anything else from a group (member updates, channel posts) stops here.
  shared.use(() => {});
  return composer;
}
