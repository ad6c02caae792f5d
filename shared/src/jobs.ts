import { z } from 'zod';
import { NotificationTargetSchema } from './notifications/targets';

/** Queue names. Job payloads carry ids only: the sealed tip waits in Redis under its own key. */
export const QUEUE_NAMES = {
  intake: 'intake',
  triage: 'triage',
  notify: 'notify',
  relay: 'relay',
  retention: 'retention',
} as const;

export const JOB_NAMES = {
  storeTip: 'store-tip',
  /** A resident's answer to a staff question, on the intake queue beside the tips. */
  storeAnswer: 'store-answer',
  triageTip: 'triage-tip',
  notifyUnit: 'notify-unit',
  relayMessage: 'relay-message',
  purgeTips: 'purge-tips',
} as const;

export const StoreTipJobSchema = z.object({ tipId: z.uuid() }).strict();
export type StoreTipJob = z.infer<typeof StoreTipJobSchema>;

export const StoreAnswerJobSchema = z.object({ answerId: z.uuid() }).strict();
export type StoreAnswerJob = z.infer<typeof StoreAnswerJobSchema>;
/** Every job of the intake queue: a tip or an answer, told apart by the job name. */
export type IntakeJob = StoreTipJob | StoreAnswerJob;

export const TriageTipJobSchema = z.object({ tipId: z.uuid() }).strict();
export type TriageTipJob = z.infer<typeof TriageTipJobSchema>;

export const NotifyUnitJobSchema = z.object({ tipId: z.uuid(), unitId: z.uuid() }).strict();
export type NotifyUnitJob = z.infer<typeof NotifyUnitJobSchema>;

/** The retention purge: no ids at all, the job purges whatever is due when it runs. */
export const PurgeTipsJobSchema = z.object({}).strict();
export type PurgeTipsJob = z.infer<typeof PurgeTipsJobSchema>;

/** When the api's workers run the purge: daily at 02:30 in Vietnam, a quiet hour for staff. */
export const PURGE_SCHEDULE = { hour: 2, minute: 30, timeZone: 'Asia/Ho_Chi_Minh' } as const;

/**
 * On the relay queue (the bot sends it): a fixed text to one of a unit's notification targets
 * — a group of police officers, never a resident — saying a case arrived, with no tip content.
 */
export const UnitNotificationJobSchema = z
  .object({
    kind: z.literal('unit-notification'),
    unitId: z.uuid(),
    target: NotificationTargetSchema,
    text: z.string().min(1).max(1000),
  })
  .strict();
export type UnitNotificationJob = z.infer<typeof UnitNotificationJobSchema>;

/**
 * On the relay queue: a question or status change for a resident, sent later through the
 * channel they used. The follow-up questions issue fills this in (how the bot turns the
 * handle into a chat); until then the bot refuses it as not supported yet.
 */
export const ResidentMessageJobSchema = z
  .object({
    kind: z.literal('resident-message'),
    /** The random reply handle of the tip; only the bot can map it to the resident's chat. */
    replyHandle: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/),
    text: z.string().min(1).max(4000),
  })
  .strict();
export type ResidentMessageJob = z.infer<typeof ResidentMessageJobSchema>;

/** Every `relay-message` job: what the bot sends on the api's behalf, told apart by `kind`. */
export const RelayJobSchema = z.discriminatedUnion('kind', [
  UnitNotificationJobSchema,
  ResidentMessageJobSchema,
]);
export type RelayJob = z.infer<typeof RelayJobSchema>;

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
