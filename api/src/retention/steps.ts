import { QUESTION_PURGE_STEPS } from '../questions/purge';
import { TIP_PURGE_STEPS } from '../tips/purge';
import type { PurgeStep } from './purge-steps';

/**
 * Every feature's purge steps, in the order they run. A feature that keeps data tied to a tip
 * adds its steps here (questions and answers now; reply handles later); the tip row's
 * own sealed columns (envelope with its photos, reply token) are emptied last by the purge itself.
 */
export const PURGE_STEPS: readonly PurgeStep[] = [...TIP_PURGE_STEPS, ...QUESTION_PURGE_STEPS];
