// The TinBao web chat: a person plays a resident in a private chat with the bot, through the
// emulator's control API. The same page serves both emulators: `<html data-channel>` says which
// platform it plays, and it shows what that platform shows (Telegram: formatting, buttons,
// keyboards, location; Zalo: plain text bubbles, numbered text menus, photos, no location).
// Text is always inserted as text nodes, never as HTML.

const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

const randomHex = (bytes) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');

const CHANNELS = {
  telegram: {
    name: 'Telegram',
    startText: '/start',
    maxLength: 4096,
    // A private chat's id is the resident's positive user id.
    validChatId: (value) => /^[1-9][0-9]{0,15}$/.test(value) && Number.isSafeInteger(Number(value)),
    newChatId: () => String(100_000_000 + Math.floor(Math.random() * 1_900_000_000)),
    keyOf: (message) => message.message_id,
    isBot: (message) => Boolean(message.from?.is_bot),
    dateOf: (message) => new Date(message.date * 1000),
    lastSeqOf: (chat) => chat.last_seq,
  },
  zalo: {
    name: 'Zalo',
    startText: 'Xin chào',
    maxLength: 2000,
    // Zalo's ids are opaque strings.
    validChatId: (value) => /^[A-Za-z0-9_-]{1,64}$/.test(value),
    newChatId: () => `pg-${randomHex(8)}`,
    keyOf: (message) => message.seq,
    isBot: (message) => message.from_bot === true,
    dateOf: (message) => new Date(message.date),
    lastSeqOf: (chat) => chat.last_event_seq,
  },
};

const channelName = document.documentElement.dataset.channel === 'zalo' ? 'zalo' : 'telegram';
const channel = CHANNELS[channelName];
const CHAT_KEY = `tinbao-playground-chat-id-${channelName}`;

const elements = {
  messages: document.querySelector('[data-testid="messages"]'),
  empty: document.querySelector('[data-testid="empty-state"]'),
  start: document.querySelector('[data-testid="start-button"]'),
  composer: document.getElementById('composer'),
  input: document.querySelector('[data-testid="chat-input"]'),
  photo: document.querySelector('[data-testid="photo-input"]'),
  locationButton: document.querySelector('[data-testid="location-button"]'),
  locationForm: document.querySelector('[data-testid="location-form"]'),
  locationCancel: document.getElementById('location-cancel'),
  replyKeyboard: document.querySelector('[data-testid="reply-keyboard"]'),
  toast: document.querySelector('[data-testid="callback-toast"]'),
  error: document.querySelector('[data-testid="chat-error"]'),
  scroller: document.querySelector('.chat'),
  channelCurrent: document.querySelector('[data-testid="channel-current"]'),
  channelLink: document.querySelector('[data-testid="channel-link"]'),
};

/** One chat per browser tab; ?chat=<id> picks one explicitly (browser tests use it). */
function chatIdForTab() {
  const fromUrl = new URLSearchParams(location.search).get('chat');
  if (fromUrl && channel.validChatId(fromUrl)) {
    sessionStorage.setItem(CHAT_KEY, fromUrl);
    return fromUrl;
  }
  const stored = sessionStorage.getItem(CHAT_KEY);
  if (stored && channel.validChatId(stored)) return stored;
  const random = channel.newChatId();
  sessionStorage.setItem(CHAT_KEY, random);
  return random;
}

const chatId = chatIdForTab();
const chatPath = `/_emulator/chats/${encodeURIComponent(chatId)}`;
const rendered = new Map(); // message key -> { signature, element }
let lastSeq = 0;
let messageCount = 0;
let hiddenOneTimeKeyboard;
let toastTimer;

async function callControl(path, options = {}) {
  const response = await fetch(path, options);
  const payload = await response.json().catch(() => undefined);
  if (!payload?.ok) {
    throw new Error(payload?.message ?? `Lỗi ${response.status}`);
  }
  return payload.result;
}

const postJson = (path, body) =>
  callControl(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

function showError(message) {
  elements.error.textContent = message;
  elements.error.hidden = false;
}

function clearError() {
  elements.error.hidden = true;
  elements.error.textContent = '';
}

function showToast(text) {
  elements.toast.textContent = text;
  elements.toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    elements.toast.hidden = true;
  }, 4000);
}

// ---- rendering ------------------------------------------------------------------------------

function elementForEntity(entity) {
  switch (entity.type) {
    case 'bold':
      return document.createElement('b');
    case 'italic':
      return document.createElement('i');
    case 'underline':
      return document.createElement('u');
    case 'strikethrough':
      return document.createElement('s');
    case 'code':
      return document.createElement('code');
    case 'pre':
      return document.createElement('pre');
    case 'blockquote':
    case 'expandable_blockquote':
      return document.createElement('blockquote');
    case 'spoiler': {
      const span = document.createElement('span');
      span.className = 'spoiler';
      span.tabIndex = 0;
      return span;
    }
    case 'text_link': {
      if (!/^https?:\/\//i.test(entity.url ?? '')) return document.createElement('span');
      const link = document.createElement('a');
      link.href = entity.url;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      return link;
    }
    default:
      return document.createElement('span');
  }
}

/** Renders text[start, end) with the entities fully inside it; offsets are UTF-16 like JS strings. */
function renderRange(container, text, start, end, entities) {
  const inside = entities
    .filter((entity) => entity.offset >= start && entity.offset + entity.length <= end)
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  let position = start;
  for (const entity of inside) {
    if (entity.offset < position) continue; // nested in an entity already rendered
    container.append(document.createTextNode(text.slice(position, entity.offset)));
    const element = elementForEntity(entity);
    const nested = inside.filter((other) => other !== entity);
    renderRange(element, text, entity.offset, entity.offset + entity.length, nested);
    container.append(element);
    position = entity.offset + entity.length;
  }
  container.append(document.createTextNode(text.slice(position, end)));
}

function renderFormatted(text, entities) {
  const wrapper = document.createElement('div');
  wrapper.className = 'text';
  renderRange(wrapper, text, 0, text.length, entities ?? []);
  return wrapper;
}

const OTHER_LABELS = {
  sticker: '[Nhãn dán]',
  voice: '[Tin nhắn thoại]',
  video: '[Video]',
  video_note: '[Video tròn]',
  animation: '[Ảnh động]',
  audio: '[Âm thanh]',
  document: '[Tệp đính kèm]',
  contact: '[Danh bạ]',
};

function renderTelegramMessage(message, fromBot) {
  const item = document.createElement('li');
  item.className = `message ${fromBot ? 'bot' : 'me'}`;
  item.dataset.testid = fromBot ? 'bot-message' : 'user-message';
  item.dataset.messageId = String(message.message_id);

  const largest = message.photo?.[message.photo.length - 1];
  if (largest) {
    const image = document.createElement('img');
    image.src = `/_emulator/files/${encodeURIComponent(largest.file_id)}`;
    image.alt = fromBot ? 'Ảnh từ TinBao' : 'Ảnh bạn đã gửi';
    image.loading = 'lazy';
    item.append(image);
  }
  if (message.location) {
    const { latitude, longitude } = message.location;
    item.append(document.createTextNode(`📍 Vị trí: ${latitude.toFixed(5)}, ${longitude.toFixed(5)}`));
  }
  for (const [kind, label] of Object.entries(OTHER_LABELS)) {
    if (message[kind]) item.append(document.createTextNode(label));
  }
  if (message.text !== undefined) item.append(renderFormatted(message.text, message.entities));
  if (message.caption !== undefined) item.append(renderFormatted(message.caption, message.caption_entities));

  const keyboard = message.reply_markup?.inline_keyboard;
  if (fromBot && keyboard) {
    const group = document.createElement('div');
    group.className = 'inline-keyboard';
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', 'Lựa chọn');
    for (const row of keyboard) {
      const rowElement = document.createElement('div');
      rowElement.className = 'row';
      for (const button of row) rowElement.append(renderInlineButton(message.message_id, button));
      group.append(rowElement);
    }
    item.append(group);
  }

  const meta = document.createElement('span');
  meta.className = 'meta';
  const time = channel.dateOf(message);
  meta.textContent = `${time.toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit' })}${message.edited ? ' · đã sửa' : ''}`;
  item.append(meta);
  return item;
}

const ZALO_LABELS = {
  sticker: '[Nhãn dán]',
  unsupported: '[Tin nhắn mà Zalo không chuyển cho TinBao]',
};

/** Zalo shows plain text only: no formatting, no buttons; a menu is numbered text. */
function renderZaloMessage(message, fromBot) {
  const item = document.createElement('li');
  item.className = `message ${fromBot ? 'bot' : 'me'}`;
  item.dataset.testid = fromBot ? 'bot-message' : 'user-message';
  item.dataset.messageId = String(message.message_id);
  item.dataset.seq = String(message.seq);

  const media = /\/_zalo-media\/([a-f0-9]{32}\.jpg)$/.exec(message.photo ?? '');
  if (media) {
    // The resident's link expires within a minute; the control API keeps the image for this page.
    const image = document.createElement('img');
    image.src = `/_emulator/media/${media[1]}`;
    image.alt = fromBot ? 'Ảnh từ TinBao' : 'Ảnh bạn đã gửi';
    image.loading = 'lazy';
    item.append(image);
  } else if (message.photo) {
    // A bot's photo is a URL Zalo would fetch; this page does not load other origins.
    const link = document.createElement('a');
    link.href = /^https?:\/\//i.test(message.photo) ? message.photo : '#';
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    link.textContent = '[Ảnh] ↗';
    item.append(link);
  }
  const label = ZALO_LABELS[message.kind];
  if (label) item.append(document.createTextNode(label));
  const text = message.text ?? message.caption;
  if (text !== undefined) {
    const wrapper = document.createElement('div');
    wrapper.className = 'text';
    wrapper.textContent = text;
    item.append(wrapper);
  }

  const meta = document.createElement('span');
  meta.className = 'meta';
  meta.textContent = channel
    .dateOf(message)
    .toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit' });
  item.append(meta);
  return item;
}

const renderMessage = channelName === 'zalo' ? renderZaloMessage : renderTelegramMessage;

function renderInlineButton(messageId, button) {
  if (button.url) {
    const link = document.createElement('a');
    link.href = /^https?:\/\//i.test(button.url) ? button.url : '#';
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    link.textContent = `${button.text} ↗`;
    link.dataset.testid = 'inline-button';
    return link;
  }
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = button.text;
  element.dataset.testid = 'inline-button';
  if (button.callback_data !== undefined) element.dataset.callbackData = button.callback_data;
  let busy = false;
  element.addEventListener('click', async () => {
    // Not `disabled`: a disabled button drops keyboard focus.
    if (button.callback_data === undefined || busy) return;
    busy = true;
    element.setAttribute('aria-busy', 'true');
    clearError();
    try {
      await postJson(`${chatPath}/callback`, { messageId, data: button.callback_data });
    } catch (error) {
      showError(`Không gửi được lựa chọn: ${error.message}`);
    } finally {
      busy = false;
      element.removeAttribute('aria-busy');
    }
  });
  return element;
}

/** The reply keyboard in force: the latest bot message that set or removed one decides. */
function renderReplyKeyboard(messages) {
  let markup;
  let ownerId;
  for (const message of messages) {
    const candidate = message.from?.is_bot ? message.reply_markup : undefined;
    if (candidate?.keyboard) {
      markup = candidate;
      ownerId = message.message_id;
    } else if (candidate?.remove_keyboard) {
      markup = undefined;
    }
    if (candidate?.force_reply || candidate?.keyboard) {
      elements.input.placeholder = candidate.input_field_placeholder ?? 'Nhập tin nhắn…';
    }
  }
  const container = elements.replyKeyboard.querySelector('.reply-rows');
  container.replaceChildren();
  if (!markup || hiddenOneTimeKeyboard === ownerId) {
    elements.replyKeyboard.hidden = true;
    return;
  }
  for (const row of markup.keyboard) {
    const rowElement = document.createElement('div');
    rowElement.className = 'row';
    for (const raw of row) {
      const button = typeof raw === 'string' ? { text: raw } : raw;
      const element = document.createElement('button');
      element.type = 'button';
      element.textContent = button.text;
      element.dataset.testid = 'reply-button';
      element.addEventListener('click', async () => {
        if (markup.one_time_keyboard) hiddenOneTimeKeyboard = ownerId;
        if (button.request_location) {
          await shareLocation();
        } else if (button.request_contact) {
          await send(() => postJson(`${chatPath}/contact`, {}));
        } else {
          await sendText(button.text);
        }
      });
      rowElement.append(element);
    }
    container.append(rowElement);
  }
  elements.replyKeyboard.hidden = false;
}

async function refresh() {
  const messages = await callControl(`${chatPath}/messages?from=all`);
  const stickToBottom =
    elements.scroller.scrollHeight - elements.scroller.scrollTop - elements.scroller.clientHeight < 80;
  const focusWasInChat = elements.messages.contains(document.activeElement);
  const seen = new Set();
  let previous = null;
  for (const message of messages) {
    const fromBot = channel.isBot(message);
    const key = channel.keyOf(message);
    const signature = JSON.stringify(message);
    seen.add(key);
    let entry = rendered.get(key);
    if (!entry || entry.signature !== signature) {
      const element = renderMessage(message, fromBot);
      if (entry) entry.element.replaceWith(element);
      entry = { signature, element };
      rendered.set(key, entry);
    }
    // Keep DOM order equal to the emulator's order (message_id on Telegram, seq on Zalo).
    const expectedNext = previous ? previous.nextSibling : elements.messages.firstChild;
    if (expectedNext !== entry.element) {
      if (previous) previous.after(entry.element);
      else elements.messages.prepend(entry.element);
    }
    previous = entry.element;
  }
  for (const [id, entry] of rendered) {
    if (!seen.has(id)) {
      entry.element.remove();
      rendered.delete(id);
    }
  }
  messageCount = messages.length;
  elements.empty.hidden = messageCount > 0;
  if (channelName === 'telegram') renderReplyKeyboard(messages);
  if (stickToBottom) elements.scroller.scrollTop = elements.scroller.scrollHeight;
  if (focusWasInChat && !elements.messages.contains(document.activeElement)) restoreFocus();
}

/** A pressed button can be replaced by the bot's edit: keyboard users continue at the newest choices. */
function restoreFocus() {
  const buttons = elements.messages.querySelectorAll(
    '[data-testid="bot-message"] [data-testid="inline-button"]',
  );
  const last = buttons[buttons.length - 1];
  const firstOfLast = last?.closest('.inline-keyboard')?.querySelector('[data-testid="inline-button"]');
  (firstOfLast ?? elements.input).focus();
}

// ---- sending --------------------------------------------------------------------------------

async function send(action) {
  clearError();
  try {
    await action();
    await refresh();
    return true;
  } catch (error) {
    showError(`Không gửi được: ${error.message}`);
    return false;
  }
}

const sendText = (text) => send(() => postJson(`${chatPath}/text`, { text }));

elements.composer.addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = elements.input.value;
  if (text.trim() === '') {
    elements.input.focus();
    return;
  }
  elements.input.value = '';
  const sent = await sendText(text);
  if (!sent) elements.input.value = text;
  elements.input.focus();
});

// Enter sends, Shift+Enter starts a new line (as in Telegram on a computer).
elements.input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    elements.composer.requestSubmit();
  }
});

elements.start.addEventListener('click', () => sendText(channel.startText));

elements.photo.addEventListener('change', async () => {
  const file = elements.photo.files?.[0];
  elements.photo.value = '';
  if (!file) return;
  if (!file.type.startsWith('image/')) {
    showError('Vui lòng chọn một tệp ảnh.');
    return;
  }
  if (file.size > MAX_UPLOAD_BYTES) {
    showError('Ảnh quá lớn (tối đa 20 MB).');
    return;
  }
  const caption = elements.input.value.trim();
  const query = caption ? `?caption=${encodeURIComponent(caption)}` : '';
  const sent = await send(() =>
    callControl(`${chatPath}/photo${query}`, {
      method: 'POST',
      headers: { 'content-type': file.type },
      body: file,
    }),
  );
  if (sent && caption) elements.input.value = '';
});

function openLocationForm() {
  elements.locationForm.hidden = false;
  elements.locationForm.querySelector('input')?.focus();
}

function shareLocation() {
  clearError();
  if (!navigator.geolocation) {
    openLocationForm();
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      async (position) => {
        await send(() =>
          postJson(`${chatPath}/location`, {
            latitude: position.coords.latitude,
            longitude: position.coords.longitude,
          }),
        );
        resolve();
      },
      () => {
        openLocationForm();
        resolve();
      },
      { timeout: 8000, maximumAge: 60_000 },
    );
  });
}

elements.locationButton.addEventListener('click', () => shareLocation());

elements.locationForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(elements.locationForm);
  const latitude = Number(data.get('latitude'));
  const longitude = Number(data.get('longitude'));
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) {
    showError('Toạ độ không hợp lệ.');
    return;
  }
  const sent = await send(() => postJson(`${chatPath}/location`, { latitude, longitude }));
  if (sent) {
    elements.locationForm.reset();
    elements.locationForm.hidden = true;
    elements.locationButton.focus();
  }
});

elements.locationCancel.addEventListener('click', () => {
  elements.locationForm.hidden = true;
  elements.locationButton.focus();
});

// ---- live updates ---------------------------------------------------------------------------

/** Long-polls the chat's event log; every bot action (new message, edit, answer) triggers a refresh. */
async function followEvents() {
  for (;;) {
    try {
      const events = await callControl(`${chatPath}/events?after=${lastSeq}&wait=25`);
      if (events.length > 0) {
        lastSeq = events[events.length - 1].seq;
        for (const event of events) {
          if (event.type === 'answerCallbackQuery' && event.text) showToast(event.text);
        }
        await refresh();
      } else {
        await resyncAfterReset();
      }
    } catch {
      // The emulator restarted or the network blinked: try again shortly.
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

/** After an emulator reset the chat's seq starts again from 0; follow it instead of waiting forever. */
async function resyncAfterReset() {
  const response = await fetch(chatPath);
  const payload = await response.json().catch(() => undefined);
  const seq = payload?.ok ? channel.lastSeqOf(payload.result) : 0;
  if (seq < lastSeq) {
    lastSeq = seq;
    await refresh();
  }
}

/** What differs between the channels on the page itself, and the link to the other channel's page. */
async function setUpChannel() {
  document.title = `TinBao — trò chuyện thử (${channel.name})`;
  elements.channelCurrent.textContent = channel.name;
  elements.input.maxLength = channel.maxLength;
  if (channelName === 'zalo') {
    // Zalo has no location event, no buttons and no keyboards: residents type.
    elements.locationButton.remove();
    elements.locationForm.remove();
    elements.replyKeyboard.remove();
    elements.input.placeholder = 'Nhập tin nhắn hoặc số lựa chọn…';
  }
  try {
    const { peers } = await callControl('/_emulator/peers');
    const [otherName, otherUrl] = Object.entries(peers).find(([name]) => name !== channelName) ?? [];
    if (otherName && CHANNELS[otherName] && /^https?:\/\//i.test(otherUrl)) {
      elements.channelLink.href = `${otherUrl.replace(/\/+$/, '')}/playground`;
      elements.channelLink.textContent = `Chuyển sang ${CHANNELS[otherName].name}`;
      elements.channelLink.dataset.channel = otherName;
      elements.channelLink.hidden = false;
    }
  } catch {
    // Started alone (or an older emulator): no other channel to offer.
  }
}

async function init() {
  await setUpChannel();
  try {
    const events = await callControl(`${chatPath}/events`);
    lastSeq = events.length > 0 ? events[events.length - 1].seq : 0;
    await refresh();
  } catch (error) {
    showError(`Không kết nối được với trình giả lập: ${error.message}`);
  }
  document.documentElement.dataset.ready = 'true';
  if (messageCount === 0) elements.start.focus();
  else elements.input.focus();
  followEvents();
}

init();
