import { z } from 'zod';

/** A Telegram group (or supergroup) chat id: negative integer as a string. */
export const TelegramGroupIdSchema = z
  .string()
  .regex(/^-\d{5,20}$/, 'a Telegram group id is a negative number');

/** A unit's Telegram group: a group of police officers, never a resident's chat. */
export const TelegramTargetSchema = z
  .object({ channel: z.literal('telegram'), address: TelegramGroupIdSchema })
  .strict();

/**
 * Where a unit's "a case arrived" notice goes: a channel and an address on it. One member
 * per channel, so e-mail (`{ channel: 'email', address }`) or Zalo is one more member here
 * (and one more value in the `unit_notification_targets.channel` CHECK).
 */
export const NotificationTargetSchema = z.discriminatedUnion('channel', [TelegramTargetSchema]);
export type NotificationTarget = z.infer<typeof NotificationTargetSchema>;
export type NotificationChannel = NotificationTarget['channel'];
