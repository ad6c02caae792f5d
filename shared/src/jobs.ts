import { z } from 'zod';

/** Queue names. Job payloads carry ids only: the sealed tip waits in Redis under its own key. */
export const QUEUE_NAMES = {
  intake: 'intake',
  triage: 'triage',
  notify: 'notify',
  relay: 'relay',
} as const;

export const JOB_NAMES = {
  storeTip: 'store-tip',
  triageTip: 'triage-tip',
  notifyUnit: 'notify-unit',
  relayMessage: 'relay-message',
  sendUnitGroupMessage: 'send-unit-group-message',
} as const;

export const StoreTipJobSchema = z.object({ tipId: z.uuid() }).strict();
export type StoreTipJob = z.infer<typeof StoreTipJobSchema>;

export const TriageTipJobSchema = z.object({ tipId: z.uuid() }).strict();
export type TriageTipJob = z.infer<typeof TriageTipJobSchema>;

export const NotifyUnitJobSchema = z.object({ tipId: z.uuid(), unitId: z.uuid() }).strict();
export type NotifyUnitJob = z.infer<typeof NotifyUnitJobSchema>;

/**
 * On the relay queue (the bot sends it): a fixed text to a unit's Telegram group — a group
 * of police officers, never a resident — saying a case arrived, with no tip content.
 */
export const UnitGroupMessageJobSchema = z
  .object({
    unitId: z.uuid(),
    chatId: z.string().regex(/^-\d{5,20}$/),
    text: z.string().min(1).max(1000),
  })
  .strict();
export type UnitGroupMessageJob = z.infer<typeof UnitGroupMessageJobSchema>;

/**
 * Default options of every TinBao job: retried with exponential backoff (1 s, 2 s, 4 s …
 * about 4.5 hours in all), failed jobs kept for inspection, finished ones trimmed.
 */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 15,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: false,
} as const;

/** BullMQ keys live under `<prefix>:bull`, beside TinBao's own keys under `<prefix>:`. */
export const bullPrefix = (redisPrefix: string) => `${redisPrefix}:bull`;
