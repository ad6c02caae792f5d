import { type NotificationTarget, TelegramGroupIdSchema } from '@tinbao/shared/api/units';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { EmptyState } from '../layout/EmptyState';
import { FormField } from '../layout/FormField';
import { Button, ErrorNotice } from '../layout/ui';

/**
 * Where the unit's notifications go (no tip content): a list with add and remove, each change
 * saving the whole list. Telegram groups today; another channel is one more add field.
 */
export function NotificationTargetsEditor({
  unitId,
  targets,
  onSave,
  onSaved,
}: {
  unitId: string;
  targets: NotificationTarget[];
  /** Stores the whole list; resolves with it as stored. */
  onSave(targets: NotificationTarget[]): Promise<NotificationTarget[]>;
  onSaved(): void;
}) {
  const { t } = useI18n();
  const [groupId, setGroupId] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [saving, setSaving] = useState(false);
  // The list as the server last answered it, so a second change never starts from a stale one.
  const [current, setCurrent] = useState(targets);
  useEffect(() => setCurrent(targets), [targets]);
  const save = async (next: NotificationTarget[]): Promise<boolean> => {
    setError(undefined);
    setSaving(true);
    try {
      setCurrent(await onSave(next));
      onSaved();
      return true;
    } catch (failure) {
      setError(failure);
      return false;
    } finally {
      setSaving(false);
    }
  };
  const addTelegramGroup = async () => {
    const address = groupId.trim().replace(/\s/g, '');
    if (!address) return setProblem(t.validation.required(t.admin.telegramGroupIdLabel));
    if (!TelegramGroupIdSchema.safeParse(address).success) return setProblem(t.validation.telegramGroupId);
    if (current.some((target) => target.channel === 'telegram' && target.address === address))
      return setProblem(t.validation.telegramGroupTwice);
    setProblem(undefined);
    if (await save([...current, { channel: 'telegram', address }])) setGroupId('');
  };
  const headingId = `targets-${unitId}`;
  // Its own section inside the editor form: Enter in the field adds the group, not the communes.
  return (
    <section aria-labelledby={headingId} className="subsection" data-testid="unit-targets">
      <h3 id={headingId}>{t.admin.notificationTargets}</h3>
      <p className="hint">{t.admin.notificationTargetsHint}</p>
      <ErrorNotice error={error} context="unit" />
      {current.length === 0 ? (
        <EmptyState testId="unit-targets-empty">{t.admin.noNotificationTargets}</EmptyState>
      ) : (
        <ul className="chips" aria-labelledby={headingId} data-testid="unit-targets-list">
          {current.map((target) => {
            const channel = t.admin.notificationChannel[target.channel] ?? target.channel;
            return (
              <li key={`${target.channel} ${target.address}`} data-testid="unit-target">
                {channel}: {target.address}
                <button
                  type="button"
                  className="btn btn-ghost btn-small"
                  aria-label={t.admin.removeNotificationTarget(channel, target.address)}
                  disabled={saving}
                  onClick={() => void save(current.filter((other) => other !== target))}
                  data-testid="unit-target-remove"
                >
                  ×
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <FormField
        label={t.admin.telegramGroupIdLabel}
        hint={t.admin.telegramGroupHint}
        error={problem}
        value={groupId}
        onChange={setGroupId}
        inputMode="numeric"
        autoComplete="off"
        placeholder="-100…"
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            void addTelegramGroup();
          }
        }}
        data-testid="unit-telegram-input"
      />
      <div className="row">
        <Button onClick={() => void addTelegramGroup()} disabled={saving} data-testid="unit-telegram-add">
          {t.admin.addTelegramGroup}
        </Button>
      </div>
    </section>
  );
}
