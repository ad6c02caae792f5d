import { Signal } from './signal';

/**
 * One signal per chat id, notified on every bot action there; the control API's long polls wait
 * on it. At most `limit` are kept: beyond it the idle ones are forgotten.
 */
export class ChatSignals<ChatId> {
  private readonly signals = new Map<ChatId, Signal>();

  constructor(private readonly limit: number) {}

  /** The signal of a chat, which may not exist yet (a test can wait before the first update). */
  of(chatId: ChatId): Signal {
    let signal = this.signals.get(chatId);
    if (!signal) {
      if (this.signals.size >= this.limit) {
        // Forget idle signals only: a waiter keeps the signal object it waits on.
        for (const [id, idle] of this.signals) if (idle.waiting === 0) this.signals.delete(id);
      }
      signal = new Signal();
      this.signals.set(chatId, signal);
    }
    return signal;
  }

  /** Wakes the chat's waiters (none when nobody waits on it yet). */
  notify(chatId: ChatId): void {
    this.signals.get(chatId)?.notify();
  }

  /** Wakes every waiter, e.g. on reset. */
  notifyAll(): void {
    for (const signal of this.signals.values()) signal.notify();
  }
}
