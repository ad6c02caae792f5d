import type { Context } from 'grammy';

// Contexts already answered with an error message: the feature's boundary and bot.catch
// may both see one failure (e.g. Redis down while the session is written back).
const answered = new WeakSet<object>();

/** Sends one short Vietnamese message per failed update; never throws. */
export async function replyOnce(ctx: Context, text: string): Promise<void> {
  if (answered.has(ctx)) return;
  answered.add(ctx);
  try {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => {});
    if (ctx.chat) await ctx.api.sendMessage(ctx.chat.id, text);
  } catch {
    // Telegram unreachable: nothing more to do for this update.
  }
}

/** What a log may say about an error: its class and a bounded message, no payloads. */
export function errorSummary(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message.slice(0, 200)}`;
  return typeof error;
}
