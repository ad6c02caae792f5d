import type { FaultInput } from './faults';

/** Long polls are cut into slices so one waitFor… never outlives the emulator's 60 s cap. */
const MAX_SLICE_SECONDS = 30;

/** What differs between the platforms' clients of the shared control routes. */
export interface ControlClientOptions<Message> {
  /** The error a refused call or a timed-out wait throws (each platform's client has its own class). */
  error: new (
    message: string,
  ) => Error;
  /** How a timeout names the chat ('chat', 'Zalo chat'). */
  chatLabel: string;
  /** One message in a timeout's list of what did arrive. */
  describeMessage(message: Message): string;
}

/**
 * The HTTP side of the control API both emulators serve: `call` (one request, the result or the
 * platform's client error), path and query helpers for the platform's own endpoints, and `shared`,
 * the client methods of the shared routes (messages, waits, events, faults, status, clearing).
 */
export function createControlClient<ChatId extends string | number, Message, Event, Status>(
  url: string,
  options: ControlClientOptions<Message>,
) {
  const base = url.replace(/\/+$/, '');

  async function call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const isBytes = body instanceof Uint8Array;
    const response = await fetch(`${base}/_emulator${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body:
        body === undefined ? undefined : isBytes ? (body as Uint8Array<ArrayBuffer>) : JSON.stringify(body),
    });
    const payload = (await response.json().catch(() => undefined)) as
      | { ok: true; result: T }
      | { ok: false; error: string; message: string }
      | undefined;
    if (!payload) throw new options.error(`emulator ${method} ${path}: HTTP ${response.status} without JSON`);
    if (!payload.ok)
      throw new options.error(`emulator ${method} ${path}: ${payload.error}: ${payload.message}`);
    return payload.result;
  }

  const chatPath = (chatId: ChatId, rest: string) => `/chats/${encodeURIComponent(String(chatId))}${rest}`;

  /** `?name=value&…` of the values given ('' when none is). */
  const query = (values: Record<string, string | number | undefined>) => {
    const entries = Object.entries(values).filter(
      (entry): entry is [string, string | number] => entry[1] !== undefined,
    );
    return entries.length === 0
      ? ''
      : `?${new URLSearchParams(entries.map(([key, value]): [string, string] => [key, String(value)]))}`;
  };

  /** A long poll's `wait` for `waitMs` (none without it), within the emulator's 60 s cap. */
  const waitSeconds = (waitMs: number | undefined) =>
    waitMs === undefined ? undefined : Math.min(60, waitMs / 1000);

  /** The next slice of a wait that ends at `deadline`. */
  const sliceSeconds = (deadline: number) =>
    Math.min(MAX_SLICE_SECONDS, Math.max(0, (deadline - Date.now()) / 1000));

  const describeMessages = (messages: Message[]) =>
    messages.length === 0 ? 'nothing' : messages.map(options.describeMessage).join(', ');

  const shared = {
    url: base,

    /** What the bot sent to the chat after `after`, in order; `all` adds the resident's messages. */
    messages: (chatId: ChatId, messageOptions: { after?: number; all?: boolean } = {}) =>
      call<Message[]>(
        'GET',
        chatPath(
          chatId,
          `/messages${query({ after: messageOptions.after, from: messageOptions.all ? 'all' : undefined })}`,
        ),
      ),

    /** Waits until at least `count` (default 1) bot messages after `after` exist. */
    async waitForMessages(
      chatId: ChatId,
      waitOptions: { after?: number; count?: number; timeoutMs?: number } = {},
    ): Promise<Message[]> {
      const count = waitOptions.count ?? 1;
      const deadline = Date.now() + (waitOptions.timeoutMs ?? 5000);
      let messages: Message[] = [];
      do {
        messages = await call<Message[]>(
          'GET',
          chatPath(
            chatId,
            `/messages${query({ after: waitOptions.after ?? 0, count, wait: sliceSeconds(deadline) })}`,
          ),
        );
        if (messages.length >= count) return messages;
      } while (Date.now() < deadline);
      throw new options.error(
        `waited ${waitOptions.timeoutMs ?? 5000} ms for ${count} bot message(s) in ${options.chatLabel} ${chatId} after #${waitOptions.after ?? 0}; got ${describeMessages(messages)}`,
      );
    },

    /** The latest bot message of the chat, or undefined. */
    async lastMessage(chatId: ChatId): Promise<Message | undefined> {
      const messages = await shared.messages(chatId);
      return messages[messages.length - 1];
    },

    /** The log of bot actions with seq > after; with waitMs, long-polls until there is one. */
    events: (chatId: ChatId, eventOptions: { after?: number; waitMs?: number } = {}) =>
      call<Event[]>(
        'GET',
        chatPath(
          chatId,
          `/events${query({ after: eventOptions.after ?? 0, wait: waitSeconds(eventOptions.waitMs) })}`,
        ),
      ),

    /** Whether a getUpdates long poll is waiting right now, the webhook, queue and storage sizes. */
    status: () => call<Status>('GET', '/status'),

    /**
     * Makes the next `count` matching Bot API calls fail (error_code, e.g. 429 with retry_after on
     * Telegram, 502), answer late (delay_ms) or lose their connection (disconnect); `chatId`
     * limits it to one chat.
     */
    injectFault: (fault: FaultInput) => call<{ fault_id: number }>('POST', '/faults', fault),

    clearFaults: () => call<boolean>('DELETE', '/faults'),

    /** Clears the chat's messages and events; their numbers keep increasing. */
    clearChat: (chatId: ChatId) => call<boolean>('DELETE', chatPath(chatId, '')),

    reset: () => call<boolean>('POST', '/reset'),
  };

  return { call, chatPath, query, waitSeconds, sliceSeconds, shared };
}
