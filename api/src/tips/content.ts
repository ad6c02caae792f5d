import { type KeyPair, openJson, openSealedTip, type TipContent, TipContentSchema } from '@tinbao/shared';
import type { z } from 'zod';
import { appendAuditEvent } from '../audit/audit-log';
import { AppError } from '../platform/errors';
import { type Actor, loadVisibleTip } from './access';
import type { TipsDeps } from './deps';
import type { TipRow } from './repository';

/** Opens something sealed to the organisation key; a failure is the server's (500), never the client's. */
export async function openSealed<T>(
  orgKeys: KeyPair,
  sealed: Uint8Array,
  schema: z.ZodType<T>,
  what: string,
): Promise<T> {
  try {
    return schema.parse(await openJson(sealed, orgKeys));
  } catch {
    throw new AppError(500, 'decryption_failed', `${what} could not be decrypted with the organisation key`);
  }
}

/**
 * Opens a stored tip's envelope, bound to the row's id, receipt code, channel and time. Tips
 * stored before envelope version 2 (bound to nothing) still open.
 */
export async function openTipContent(
  orgKeys: KeyPair,
  row: Pick<TipRow, 'id' | 'receiptCode' | 'channel' | 'submittedAt'> & {
    envelope: NonNullable<TipRow['envelope']>;
  },
): Promise<TipContent> {
  try {
    return TipContentSchema.parse(await openSealedTip(row.envelope, row, orgKeys, { legacy: 'accept' }));
  } catch {
    throw new AppError(500, 'decryption_failed', 'the tip could not be decrypted with the organisation key');
  }
}

/** Audits the decryption first, in its own transaction: no content leaves without its event. */
export async function auditedVisibleTip(
  deps: Pick<TipsDeps, 'db'>,
  actor: Actor,
  tipId: string,
  action: string,
  details: Record<string, unknown> = {},
): Promise<TipRow> {
  return deps.db.transaction(async (tx) => {
    const row = await loadVisibleTip(tx, actor, tipId);
    await appendAuditEvent(tx, {
      actorType: 'user',
      actorId: actor.userId,
      action,
      subjectType: 'tip',
      subjectId: tipId,
      details: { role: actor.role, ...details },
    });
    return row;
  });
}
