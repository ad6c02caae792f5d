import { type Api, GrammyError } from 'grammy';
import { DeliveryRefusedError, type RelaySender } from './relay-worker';

/**
 * The Telegram entry of the relay's senders, through a grammY `Api`. Telegram answering 400
 * ("chat not found") or 403 (the bot was removed from the group) will not heal by retrying;
 * network errors, 429 and 5xx are thrown as they are, and retried.
 */
export function telegramSender(api: Api): RelaySender {
  return async (address, text) => {
    try {
      await api.sendMessage(address, text);
    } catch (error) {
      if (error instanceof GrammyError && (error.error_code === 400 || error.error_code === 403)) {
        throw new DeliveryRefusedError(error.description);
      }
      throw error;
    }
  };
}
