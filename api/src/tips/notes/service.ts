import { sealJson } from '@tinbao/shared';
import type { TipNote } from '@tinbao/shared/api/tips';
import { z } from 'zod';
import { appendAuditEvent } from '../../audit/audit-log';
import { type Actor, loadVisibleTip } from '../access';
import { auditedVisibleTip, openSealed } from '../content';
import { nowOf, type TipsDeps } from '../deps';
import { displayNameOf, insertNote, notesOf } from './repository';

const NoteSchema = z.object({ body: z.string() });

/** Adds a staff note, sealed to the organisation key like the tip (it may quote it). */
export async function addTipNote(
  deps: Pick<TipsDeps, 'db' | 'orgKeys' | 'now'>,
  actor: Actor,
  tipId: string,
  body: string,
): Promise<TipNote> {
  const sealed = await sealJson({ body }, [deps.orgKeys.publicKey]);
  const note = await deps.db.transaction(async (tx) => {
    await loadVisibleTip(tx, actor, tipId);
    const note = await insertNote(tx, {
      tipId,
      authorId: actor.userId,
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
  return {
    id: note.id,
    authorId: note.authorId,
    authorName: await displayNameOf(deps.db, actor.userId),
    createdAt: note.createdAt.toISOString(),
    body,
  };
}

/** Notes are sealed like the tip: listing them decrypts, so it is audited. */
export async function listTipNotes(
  deps: Pick<TipsDeps, 'db' | 'orgKeys'>,
  actor: Actor,
  tipId: string,
): Promise<TipNote[]> {
  await auditedVisibleTip(deps, actor, tipId, 'tip.notes_decrypted');
  const rows = await notesOf(deps.db, tipId);
  return Promise.all(
    rows.map(async (row) => ({
      id: row.id,
      authorId: row.authorId,
      authorName: row.authorName,
      createdAt: row.createdAt.toISOString(),
      body: (await openSealed(deps.orgKeys, row.body, NoteSchema, 'a note')).body,
    })),
  );
}
