import type { TipAction, TipRoute, TipSummary, TipTransitionRequest } from '@tinbao/shared/api/tips';
import {
  type RejectReason,
  RejectReasonSchema,
  type TipOutcome,
  TipOutcomeSchema,
} from '@tinbao/shared/api/tips';
import { RECEIPT_CODE_PATTERN } from '@tinbao/shared/tips/schemas';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { EnumSelect, SelectField } from '../layout/select';
import { Button, Dialog, ErrorNotice, Field } from '../layout/ui';
import { tipsApi } from './tips-api';
import { useDuplicateCandidates } from './use-duplicate-candidates';

type Submit = (request: TipTransitionRequest) => Promise<void>;

/** A problem found before anything is sent: its message is already in the UI's language. */
class FormProblem extends Error {}

/** What a moderator types back: any case, spaces, missing dashes (as the bot accepts). */
export function normalizeReceiptInput(input: string): string | undefined {
  const compact = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  const body = compact.startsWith('TB') ? compact.slice(2) : compact;
  const code = `TB-${body.slice(0, 5)}-${body.slice(5)}`;
  return body.length === 10 && RECEIPT_CODE_PATTERN.test(code) ? code : undefined;
}

function DialogForm({
  title,
  open,
  onClose,
  onSubmit,
  children,
  testId,
}: {
  title: string;
  open: boolean;
  onClose(): void;
  onSubmit(): Promise<void>;
  children: ReactNode;
  testId: string;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={open} title={title} onClose={onClose} testId={testId}>
      <form onSubmit={submit} noValidate>
        {error instanceof FormProblem ? (
          <p className="notice notice-error" role="alert" data-testid="validation-errors">
            {error.message}
          </p>
        ) : (
          <ErrorNotice error={error} context="tip" />
        )}
        {children}
        <div className="row">
          <Button variant="ghost" onClick={onClose}>
            {t.cancel}
          </Button>
          <Button type="submit" variant="primary" busy={busy} data-testid={`${testId}-submit`}>
            {t.confirm}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** Lets a moderator or admin name the unit an acknowledgement or outcome is recorded for. */
function UnitChoice({
  routes,
  value,
  onChange,
}: {
  routes: TipRoute[];
  value: string;
  onChange(v: string): void;
}) {
  const { t } = useI18n();
  return (
    <SelectField
      label={t.queue.unit}
      value={value}
      onChange={onChange}
      required
      options={routes.map((route) => ({
        value: route.unitId,
        label: `${route.unitName} (${route.unitCode})`,
      }))}
    />
  );
}

export function ActionDialog({
  action,
  tip,
  officer,
  onClose,
  onSubmit,
}: {
  action: TipAction | null;
  tip: TipSummary;
  officer: boolean;
  onClose(): void;
  onSubmit: Submit;
}) {
  const { t, formatDate } = useI18n();
  const { version, routes } = tip;
  const candidates = useDuplicateCandidates(tip, action === 'mark_duplicate');
  const [reason, setReason] = useState<RejectReason>('spam');
  const [duplicateCode, setDuplicateCode] = useState('');
  // The picker shows a candidate once the typed code is one, however it was typed.
  const typedCode = normalizeReceiptInput(duplicateCode);
  const [outcome, setOutcome] = useState<TipOutcome>('verified_true');
  const [note, setNote] = useState('');
  const [unitId, setUnitId] = useState(routes[0]?.unitId ?? '');
  const unit = officer || !unitId ? {} : { unitId };

  if (action === 'reject')
    return (
      <DialogForm
        title={t.tip.rejectTitle}
        open
        onClose={onClose}
        testId="reject-dialog"
        onSubmit={() => onSubmit({ action: 'reject', version, reason })}
      >
        <EnumSelect
          label={t.tip.rejectReason}
          values={RejectReasonSchema.options}
          labels={t.rejectReason}
          value={reason}
          onChange={(value) => value && setReason(value)}
          testId="reject-reason"
        />
      </DialogForm>
    );
  if (action === 'mark_duplicate')
    return (
      <DialogForm
        title={t.tip.duplicateTitle}
        open
        onClose={onClose}
        testId="duplicate-dialog"
        onSubmit={async () => {
          if (!duplicateCode.trim()) throw new FormProblem(t.validation.required(t.fields.duplicateOf ?? ''));
          const code = normalizeReceiptInput(duplicateCode);
          if (!code) throw new FormProblem(t.validation.receiptCode);
          if (code === tip.receiptCode) throw new FormProblem(t.validation.sameTip);
          // The code is what people read and say; the API wants the original's id.
          const original =
            candidates.find((candidate) => candidate.receiptCode === code) ??
            (await tipsApi.list({ receiptCode: code, limit: 1 })).items[0];
          if (!original) throw new FormProblem(t.validation.unknownReceipt(code));
          await onSubmit({ action: 'mark_duplicate', version, duplicateOf: original.id });
        }}
      >
        {candidates.length > 0 ? (
          <SelectField
            label={t.tip.duplicateCandidates}
            value={candidates.find((candidate) => candidate.receiptCode === typedCode)?.receiptCode ?? ''}
            emptyLabel="—"
            options={candidates.map((candidate) => ({
              value: candidate.receiptCode,
              label: `${candidate.receiptCode} · ${t.category[candidate.category]} · ${formatDate(candidate.receivedAt)}`,
            }))}
            onChange={setDuplicateCode}
            testId="duplicate-candidate"
          />
        ) : null}
        <Field label={t.tip.duplicateOf} hint={t.tip.duplicateOfHint}>
          {(id, describedBy) => (
            <input
              id={id}
              value={duplicateCode}
              spellCheck={false}
              autoCapitalize="characters"
              autoComplete="off"
              placeholder="TB-XXXXX-XXXXX"
              aria-describedby={describedBy}
              onChange={(event) => setDuplicateCode(event.target.value)}
              data-testid="duplicate-code"
            />
          )}
        </Field>
      </DialogForm>
    );
  if (action === 'acknowledge')
    return (
      <DialogForm
        title={t.transition.acknowledged ?? ''}
        open
        onClose={onClose}
        testId="acknowledge-dialog"
        onSubmit={() => onSubmit({ action: 'acknowledge', version, ...unit })}
      >
        <UnitChoice routes={routes} value={unitId} onChange={setUnitId} />
      </DialogForm>
    );
  if (action === 'report_outcome')
    return (
      <DialogForm
        title={t.tip.outcomeTitle}
        open
        onClose={onClose}
        testId="outcome-dialog"
        onSubmit={() =>
          onSubmit({
            action: 'report_outcome',
            version,
            outcome,
            ...(note.trim() ? { note: note.trim() } : {}),
            ...unit,
          })
        }
      >
        {officer ? null : <UnitChoice routes={routes} value={unitId} onChange={setUnitId} />}
        <EnumSelect
          label={t.tip.outcomeKind}
          values={TipOutcomeSchema.options}
          labels={t.outcome}
          value={outcome}
          onChange={(value) => value && setOutcome(value)}
          testId="outcome-kind"
        />
        <Field label={t.tip.outcomeNote}>
          {(id) => (
            <textarea
              id={id}
              value={note}
              maxLength={4000}
              onChange={(event) => setNote(event.target.value)}
              data-testid="outcome-note"
            />
          )}
        </Field>
      </DialogForm>
    );
  return null;
}

export function ExtendDeadlineDialog({
  open,
  onClose,
  onSubmit,
}: {
  open: boolean;
  onClose(): void;
  onSubmit(days: number, reason: string): Promise<void>;
}) {
  const { t } = useI18n();
  const [days, setDays] = useState(10);
  const [reason, setReason] = useState('');
  return (
    <DialogForm
      title={t.tip.extendTitle}
      open={open}
      onClose={onClose}
      testId="extend-dialog"
      onSubmit={async () => {
        if (!Number.isInteger(days) || days < 1 || days > 60) throw new FormProblem(t.validation.daysRange);
        if (!reason.trim()) throw new FormProblem(t.validation.required(t.tip.reason));
        await onSubmit(days, reason.trim());
      }}
    >
      <Field label={t.tip.extendDays}>
        {(id) => (
          <input
            id={id}
            type="number"
            min={1}
            max={60}
            value={days}
            onChange={(event) => setDays(Number(event.target.value))}
            data-testid="extend-days"
          />
        )}
      </Field>
      <Field label={t.tip.reason}>
        {(id) => (
          <textarea
            id={id}
            value={reason}
            required
            maxLength={1000}
            onChange={(event) => setReason(event.target.value)}
            data-testid="extend-reason"
          />
        )}
      </Field>
    </DialogForm>
  );
}
