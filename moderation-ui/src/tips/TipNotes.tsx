import type { TipNote } from '@tinbao/shared/api/tips';
import { type FormEvent, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { Button, ErrorNotice, Field } from '../layout/ui';
import { staffLabel } from './staff-label';

/** `unitOnly`: the reader gets their unit's notes only (the API keeps the moderators' notes back). */
export function TipNotes({
  notes,
  unitOnly,
  onAdd,
}: {
  notes: TipNote[];
  unitOnly: boolean;
  onAdd(body: string): Promise<void>;
}) {
  const { t, formatDateTime } = useI18n();
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim()) return;
    setBusy(true);
    setError(undefined);
    try {
      await onAdd(body);
      setBody('');
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      {unitOnly ? (
        <p className="hint" data-testid="notes-unit-only">
          {t.tip.unitNotesHint}
        </p>
      ) : null}
      {notes.length === 0 ? (
        <p className="muted">{t.tip.noNotes}</p>
      ) : (
        <ul className="notes" data-testid="tip-notes">
          {notes.map((note) => (
            <li key={note.id} data-testid="tip-note">
              <div className="meta">
                {staffLabel({ name: note.authorName, role: note.authorRole, id: note.authorId }, t.roles)} ·{' '}
                <time dateTime={note.createdAt}>{formatDateTime(note.createdAt)}</time>
              </div>
              <div style={{ whiteSpace: 'pre-wrap' }}>{note.body}</div>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit}>
        <p className="notice" role="note" data-testid="note-visibility">
          <strong>{unitOnly ? t.tip.unitNoteVisibility : t.tip.noteVisibility}</strong>{' '}
          {t.tip.noteVisibilityHint}
        </p>
        <ErrorNotice error={error} />
        <Field label={t.tip.noteLabel}>
          {(id) => (
            <textarea
              id={id}
              value={body}
              maxLength={4000}
              placeholder={unitOnly ? t.tip.unitNotePlaceholder : t.tip.notePlaceholder}
              onChange={(event) => setBody(event.target.value)}
              data-testid="note-input"
            />
          )}
        </Field>
        <Button type="submit" busy={busy} disabled={!body.trim()} data-testid="note-submit">
          {t.tip.addNote}
        </Button>
      </form>
    </div>
  );
}
