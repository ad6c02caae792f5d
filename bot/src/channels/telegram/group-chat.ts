import { Composer, type Context } from 'grammy';
import type { Redis } from 'ioredis';
import { TEXT } from '../../conversation/messages';
import type { Pseudonyms } from '../../submission/pseudonyms';

/** A group hears "write privately" at most once per this many seconds. */
export const GROUP_NOTICE_SECONDS = 24 * 3600;

export interface GroupChatDeps {
  redis: Redis;
  redisPrefix: string;
  pseudonyms: Pseudonyms;
}

/**
 * In groups and channels the bot takes no tip: what is said there is seen by others. It says
 * so once per group per day (answering every message would flood the group), keyed by a
 * keyed hash of the group id.
 */
export function groupChatGuard(deps: GroupChatDeps): Composer<Context> {
  const composer = new Composer<Context>();
  const shared = composer.filter((ctx) => ctx.chat !== undefined && ctx.chat.type !== 'private');
  shared.on('callback_query', async (ctx) => {
    // Shown to the one who pressed, not to the group.
    await ctx.answerCallbackQuery({ text: TEXT.groupChat, show_alert: true }).catch(() => {});
  });
  shared.on('message', async (ctx) => {
    const key = `${deps.redisPrefix}:bot:group-notice:${await deps.pseudonyms.of('telegram-group', String(ctx.chat.id))}`;
    // Redis down: stay silent rather than risk flooding the group.
    const first = await deps.redis.set(key, '1', 'EX', GROUP_NOTICE_SECONDS, 'NX').catch(() => null);
    if (first === 'OK') await ctx.reply(TEXT.groupChat);
  });
  // Anything else from a group (member updates, channel posts) stops here.
  shared.use(() => {});
  return composer;
}
