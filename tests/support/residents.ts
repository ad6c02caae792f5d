import { foldForSearch } from '@tinbao/shared';
import type { BotWorld } from './bot-world';
import { hiddenFields, WebClient } from './web-client';

/**
 * One resident in one private chat on one channel, driven over real HTTP through the
 * channel's emulator. Each action waits until the gateway has handled it (an event, no
 * sleeps) and returns the texts the bot sent in answer. `choose` picks an option of the
 * bot's last menu the way that channel's residents do: a button on Telegram, a number
 * (or the option's words) on Zalo.
 */
export interface ResidentDriver {
  channel: 'telegram' | 'zalo' | 'web';
  chatId: string;
  /** Ids a scan of TinBao's data must never find. */
  readonly platformIds: string[];
  say(text: string): Promise<string[]>;
  choose(label: string, how?: 'number' | 'words'): Promise<string[]>;
  photo(bytes: Uint8Array, options?: { expired?: boolean }): Promise<string[]>;
  /** Something TinBao cannot read: a sticker on the messengers, a form sent empty on the web. */
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

let nextWebAddress = 1;

/**
 * A resident on the web form: a plain HTTP client (fetch, one cookie, form parsing; no
 * browser, no JavaScript) with a client address of its own (a TEST-NET address in
 * X-Forwarded-For, which the test gateway trusts from loopback). `say` types into the
 * page's text field; `/start` opens the welcome page and `/huy` presses «Hủy tin báo»,
 * the web's means for those commands. Each action returns the texts of the page it leads to.
 */
export function webResident(world: BotWorld): ResidentDriver & { client: WebClient } {
  const index = nextWebAddress++;
  const address = `198.51.${100 + Math.floor(index / 250)}.${(index % 250) + 1}`;
  const client = new WebClient(world.web().url(), address);
  const seen: string[] = [];
  const answers = (page: { replies: string[] }) => {
    seen.push(...page.replies);
    return page.replies;
  };
  const current = () => {
    if (!client.page) throw new Error('web resident: no page open');
    return client.page;
  };
  const formWith = (test: (control: { type: string; name: string; label: string }) => boolean) =>
    current().forms.find((form) => form.controls.some(test));
  return {
    channel: 'web',
    client,
    get chatId() {
      return client.cookies.get('tinbao') ?? '';
    },
    get platformIds() {
      const cookie = client.cookies.get('tinbao');
      return [address, ...(cookie ? [cookie, cookie.split('.')[0] ?? cookie] : [])];
    },
    async say(text) {
      if (text === '/start') return answers(await client.open('/'));
      if (text === '/huy') {
        const form = formWith((control) => control.name === 'cancel');
        if (!form) throw new Error('web resident: no «Hủy tin báo» on this page');
        return answers(await client.submit({ form, fields: [...hiddenFields(form), ['cancel', '1']] }));
      }
      const form = current().forms.find((candidate) =>
        candidate.controls.some((control) => control.name === 'text'),
      );
      if (!form)
        throw new Error(`web resident: no text field on this page:\n${current().replies.join('\n')}`);
      return answers(await client.submit({ form, fields: [...hiddenFields(form), ['text', text]] }));
    },
    async choose(label) {
      for (const form of current().forms) {
        const radio = form.controls.find((control) => control.type === 'radio' && control.label === label);
        if (radio)
          return answers(
            await client.submit({ form, fields: [...hiddenFields(form), [radio.name, radio.value]] }),
          );
        const button = form.controls.find((control) => control.tag === 'button' && control.label === label);
        if (button)
          return answers(
            await client.submit({
              form,
              fields: [
                ...hiddenFields(form),
                ...(button.name ? [[button.name, button.value] as [string, string]] : []),
              ],
            }),
          );
      }
      throw new Error(`web resident: no option «${label}» on this page:\n${current().html}`);
    },
    async photo(bytes) {
      const form = formWith((control) => control.type === 'file');
      if (!form) throw new Error('web resident: no photo field on this page');
      const file = form.controls.find((control) => control.type === 'file')!;
      return answers(
        await client.submit({
          form,
          fields: [...hiddenFields(form), ['upload', '1']],
          files: [{ name: file.name, bytes, type: 'image/jpeg', filename: 'anh.jpg' }],
        }),
      );
    },
    async sticker() {
      // Messenger-specific: there are no stickers on the web; the same bad input is a form sent empty.
      const steps = current().forms.filter(
        (candidate) =>
          candidate.controls.some((control) => control.name === 'menu') &&
          !candidate.controls.some((control) => control.name === 'cancel'),
      );
      const form =
        steps.find((candidate) =>
          candidate.controls.some(
            (control) => ['radio', 'file'].includes(control.type) || control.tag === 'textarea',
          ),
        ) ?? steps[0];
      if (!form) throw new Error('web resident: no form to send empty');
      return answers(await client.submit({ form, fields: hiddenFields(form) }));
    },
    async transcript() {
      return [...seen];
    },
  };
}

/** The usual opening of a tip: /start, «Gửi tin báo», the category, then Xã Đakrông (Quảng Trị) typed without diacritics. */
export async function startTipInDakrong(you: ResidentDriver, categoryLabel: string): Promise<void> {
  await you.say('/start');
  await you.choose('Gửi tin báo');
  await you.choose(categoryLabel);
  await you.say('quang tri');
  await you.say('dak rong');
  await you.choose('Xã Đakrông (Quảng Trị)');
}
