import { BotApiError } from '../common/api-error';

/** Telegram's "no": serialised as `{ ok: false, error_code, description }` with the same HTTP status. */
export class TelegramApiError extends BotApiError {
  constructor(
    errorCode: number,
    description: string,
    parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(errorCode, description, parameters);
    this.name = 'TelegramApiError';
  }
}

export const badRequest = (detail: string) => new TelegramApiError(400, `Bad Request: ${detail}`);
export const forbidden = (detail: string) => new TelegramApiError(403, `Forbidden: ${detail}`);
