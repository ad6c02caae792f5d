import type { KeyPair, Logger } from '@tinbao/shared';
import type { Events } from '../events/bus';
import type { Db } from '../platform/db';

/** What every tips feature module receives from the composition root. */
export interface TipsDeps {
  db: Db;
  orgKeys: KeyPair;
  /** Side effects (notify a unit, later relay a question) leave through here. */
  events: Events;
  logger: Logger;
  /** TINBAO_OFFICERS_MAY_ASK: officers read the answers too (the queue's badge of unread answers). */
  officersMayAsk?: boolean;
  /** The clock (tests move it). */
  now?: () => Date;
}

export const nowOf = (deps: Pick<TipsDeps, 'now'>) => deps.now?.() ?? new Date();
export const DAY_MS = 24 * 3600 * 1000;
