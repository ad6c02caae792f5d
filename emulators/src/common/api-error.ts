/**
 * A Bot API's "no" (Telegram's and Zalo's share the shape): serialised as
 * `{ ok: false, error_code, description }`, usually with the same HTTP status.
 */
export class BotApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(description);
    this.name = 'BotApiError';
  }
}
