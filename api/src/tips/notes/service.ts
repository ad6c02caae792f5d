import { sealJson } from '@tinbao/shared';
import type { TipNote } from '@tinbao/shared/api/tips';
import { type StaffRole, tipFieldAccess } from '@tinbao/shared/permissions/index';
import { z } from 'zod';
import { appendAuditEvent } from '../../audit/audit-log';
import { type Actor, loadVisibleTip } from '../access';
import { auditedVisibleTip, openSealed } from '../content';
import { nowOf, type TipsDeps } from '../deps';
import { authorOf, insertNote, notesOf } from './repository';

const NoteSchema = z.object({ body: z.string() });

/** Who wrote a note: the name and id only for those who read staff names, the role for everyone. */
function authorFields(
  actor: Actor,
  author: { id: string; name: string | null; role: StaffRole | null },
): Pick<TipNote, 'authorId' | 'authorName' | 'authorRole'> {
  return tipFieldAccess(actor).staffNames
    ? { authorId: author.id, authorName: author.name, authorRole: author.role }
    : { authorRole: author.role };
}

/**
 * Adds a staff note, sealed to the organisation key like the tip (it may quote it). An
 * officer's note is shared with the officer's unit; a moderator's or admin's is internal.
 */
export async function addTipNote(
  deps: Pick<TipsDeps, 'db' | 'orgKeys' | 'now'>,
  actor: Actor,
  tipId: string,
  body: string,
): Promise<TipNote> {
  const sealed = await sealJson({ body }, [deps.orgKeys.publicKey]);
  const note = await deps.db.transaction(async (tx) => {
    // Locked: a retention purge of this tip commits first (then this answers 410) or waits.
    await loadVisibleTip(tx, actor, tipId, { forUpdate: true });
    const note = await insertNote(tx, {
      tipId,
      authorId: actor.userId,
      unitId: actor.role === 'unit_officer' ? actor.unitId : null,
      body: sealed,
      createdAt: nowOf(deps),
    });
    await appendAuditEvent(tx, {
      actorType: 'user',
      actorId: actor.userId,
      action: 'tip.note_added',
      subjectType: 'tip',
      subjectId: tipId,
      details: { noteId: note.id, role: actor.role },
    });
    return note;
  });
  const author = await authorOf(deps.db, actor.userId);
  return {
    id: note.id,
    ...authorFields(actor, {
      id: note.authorId,
      name: author?.name ?? null,
      role: author?.role ?? actor.role,
    }),
    createdAt: note.createdAt.toISOString(),
    body,
  };
}

/** Notes are sealed like the tip: listing them decrypts, so it is audited. Officers get their unit's notes only. */
export async function listTipNotes(
  deps: Pick<TipsDeps, 'db' | 'orgKeys'>,
  actor: Actor,
  tipId: string,
): Promise<TipNote[]> {
  await auditedVisibleTip(deps, actor, tipId, 'tip.notes_decrypted');
  const rows = await notesOf(deps.db, actor, tipId);
  return Promise.all(
    rows.map(async (row) => ({
      id: row.id,
      ...authorFields(actor, { id: row.authorId, name: row.authorName, role: row.authorRole }),
      createdAt: row.createdAt.toISOString(),
      body: (await openSealed(deps.orgKeys, row.body, NoteSchema, 'a note')).body,
    })),
  );
}
