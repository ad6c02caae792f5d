import { createHash, randomBytes } from 'node:crypto';

/** Zalo's chat ids are opaque; the control API lets a test choose them within these characters. */
export const CHAT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const randomHex = (bytes: number) => randomBytes(bytes).toString('hex');

/**
 * The resident's Zalo user id when a test gives none: 20 hex characters derived from the chat id,
 * the same in every emulator run, so a test can look for it where it must never appear.
 */
export function defaultUserId(chatId: string): string {
  return createHash('sha256').update(`tinbao-zalo-emulator:user:${chatId}`).digest('hex').slice(0, 20);
}
