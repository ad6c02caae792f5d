import type { Tx } from '../platform/db';

/**
 * What one feature deletes of a tip when the tip is purged. Each feature that stores something
 * tied to a tip beyond its clear fields (notes, questions, answers, reply handles…) declares its
 * steps beside its code and lists them in PURGE_STEPS (steps.ts); the purge runs every step
 * inside each batch's transaction, then marks the tips purged (envelope and photos gone), so a
 * batch is purged entirely or not at all.
 */
export interface PurgeStep {
  /** What it deletes, as named in the run's audit event (`tip_notes`, `tip_routes.outcome_note`). */
  name: string;
  /** Deletes (or empties) the feature's data of these tips; returns the rows it touched. Must be safe to repeat. */
  purge(tx: Tx, tipIds: readonly string[]): Promise<number>;
}
