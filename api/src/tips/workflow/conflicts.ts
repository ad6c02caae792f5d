import type { TipConflictCode } from '@tinbao/shared/api/errors';
import type { TipAction } from '@tinbao/shared/api/tips';
import { allowedTipActions, type RouteState } from '@tinbao/shared/permissions/index';
import type { DbOrTx } from '../../platform/db';
import { type AppError, conflict } from '../../platform/errors';
import type { Actor } from '../access';
import { findTipById, routeStatesOf, type TipRow } from '../repository';

/** The actions the actor may take on the tip now (the shared model, over the tip's routes). */
export function allowedActionsOf(actor: Actor, row: TipRow, routes: readonly RouteState[]): TipAction[] {
  return allowedTipActions(actor, { status: row.status, provinceCode: row.provinceCode, routes });
}

export async function allowedActionsNow(db: DbOrTx, actor: Actor, row: TipRow): Promise<TipAction[]> {
  return allowedActionsOf(actor, row, await routeStatesOf(db, row.id));
}

/** 409 with the tip's status and what may be done now, so the UI can redraw its buttons. */
export async function stateConflict(
  db: DbOrTx,
  actor: Actor,
  row: TipRow,
  code: TipConflictCode,
  message: string,
): Promise<AppError> {
  return conflict(code, message, { status: row.status, allowed: await allowedActionsNow(db, actor, row) });
}

export function illegalTransition(
  db: DbOrTx,
  actor: Actor,
  row: TipRow,
  action: TipAction,
): Promise<AppError> {
  return stateConflict(db, actor, row, 'illegal_transition', `cannot ${action} a tip that is ${row.status}`);
}

/** Answered after the change lost the race: reads the tip as the winner left it. */
export async function versionConflict(db: DbOrTx, actor: Actor, tipId: string): Promise<AppError> {
  const row = await findTipById(db, tipId);
  return conflict('version_conflict', 'the tip was changed by someone else meanwhile; reload it', {
    ...(row ? { status: row.status, allowed: await allowedActionsNow(db, actor, row) } : { allowed: [] }),
  });
}
