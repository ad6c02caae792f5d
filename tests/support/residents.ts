import { foldForSearch } from '@tinbao/shared';
import type { BotWorld } from './bot-world';

/**
 * One resident in one private chat on one channel, driven over real HTTP through the
 * channel's emulator. Each action waits until the gateway has handled it (an event, no
 * sleeps) and returns the texts the bot sent in answer. `choose` picks an option of the
 * bot's last menu the way that channel's residents do: a button on Telegram, a number
 * (or the option's words) on Zalo.
 */
export interface ResidentDriver {
  channel: 'telegram' | 'zalo';
  chatId: string;
  /** Ids a scan of TinBao's data must never find. */
  platformIds: string[];
  say(text: string): Promise<string[]>;
  choose(label: string, how?: 'number' | 'words'): Promise<string[]>;
  photo(bytes: Uint8Array, options?: { expired?: boolean }): Promise<string[]>;
  sticker(): Promise<string[]>;
  /** Every text the bot sent to this chat so far. */
  transcript(): Promise<string[]>;
}

export function telegramResident(world: BotWorld, chatId: number): ResidentDriver {
  let expected = world.handledCount(chatId);
  let lastSeen = 0;
  const answers = async () => {
    await world.handled(chatId, ++expected);
    const messages = await world.client.messages(chatId, { after: lastSeen });
    lastSeen = messages.at(-1)?.message_id ?? lastSeen;
    return messages.map((message) => message.text ?? message.caption ?? '');
  };
  return {
    channel: 'telegram',
    chatId: String(chatId),
    platformIds: [String(chatId)],
    async say(text) {
      await world.client.sendText(chatId, text);
      return answers();
    },
    async choose(label) {
      const messages = await world.client.messages(chatId);
      const menu = [...messages]
        .reverse()
        .find((message) => message.reply_markup && 'inline_keyboard' in message.reply_markup);
      if (!menu) throw new Error(`telegram chat ${chatId}: no message with buttons`);
      const button = world.client.findButton(menu, label);
      await world.client.pressButton(chatId, menu.message_id, button.callback_data);
      return answers();
    },
    async photo(bytes) {
      await world.client.sendPhoto(chatId, bytes, 'image/jpeg');
      return answers();
    },
    async sticker() {
      await world.client.sendOther(chatId, 'sticker');
      return answers();
    },
    async transcript() {
      return (await world.client.messages(chatId)).map((message) => message.text ?? '');
    },
  };
}

export function zaloResident(world: BotWorld, chatId: string): ResidentDriver {
  let expected = world.handledCount(chatId);
  let lastSeq = 0;
  let lastMenu = '';
  const answers = async () => {
    await world.handled(chatId, ++expected);
    const messages = await world.zalo.messages(chatId, { after: lastSeq });
    lastSeq = messages.at(-1)?.seq ?? lastSeq;
    const texts = messages.map((message) => message.text ?? '');
    const menu = [...texts].reverse().find((text) => /^\d+\. /m.test(text));
    if (menu) lastMenu = menu;
    return texts;
  };
  return {
    channel: 'zalo',
    chatId,
    platformIds: [chatId, world.zalo.userIdOf(chatId)],
    async say(text) {
      await world.zalo.sendText(chatId, text);
      return answers();
    },
    async choose(label, how = 'number') {
      const line = lastMenu
        .split('\n')
        .map((entry) => /^(\d+)\. (.*)$/.exec(entry))
        .find((match) => match?.[2] === label);
      if (!line) throw new Error(`zalo chat ${chatId}: no option «${label}» in:\n${lastMenu}`);
      // Words: what a resident types, without accents ("mua ban ma tuy").
      const typed =
        how === 'number' ? line[1]! : label.normalize('NFD').replace(/\p{M}/gu, '').replace(/[«»]/g, '');
      if (how === 'words' && foldForSearch(typed) !== foldForSearch(label)) throw new Error('bad fold');
      await world.zalo.sendText(chatId, typed);
      return answers();
    },
    async photo(bytes, options = {}) {
      await world.zalo.sendPhoto(chatId, bytes, 'image/jpeg', options.expired ? { expired: true } : {});
      return answers();
    },
    async sticker() {
      await world.zalo.sendSticker(chatId);
      return answers();
    },
    async transcript() {
      return (await world.zalo.messages(chatId)).map((message) => message.text ?? '');
    },
  };
}
