import type { HeldTip, PurgeCandidate } from '@tinbao/shared/api/retention';
import { type FormEvent, Fragment, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { AsyncCard } from '../layout/async';
import { DataTable } from '../layout/DataTable';
import { FormField } from '../layout/FormField';
import { Link } from '../layout/router';
import { Button, Dialog, ErrorNotice, Field, Notice, PageTitle, StatusBadge } from '../layout/ui';
import { useApi } from '../layout/use-api';
import { normalizeReceiptInput } from '../tips/ActionDialogs';
import { tipsApi } from '../tips/tips-api';
import { retentionApi } from './retention-api';
import { holdReasonProblem, isDue, purgeTimeLabel } from './schedule';

const NEXT_LIMIT = 50;

type HoldTarget = { tipId: string; receiptCode: string } | { receiptCode: null };

/**
 * «Lưu trữ & xoá dữ liệu»: what the next purge deletes (per reason), the next tips with their
 * purge date, and the legal holds, each placed or released here by an admin.
 */
export function RetentionPage() {
  const { t, formatDate, formatDateTime, formatNumber } = useI18n();
  const preview = useApi((signal) => retentionApi.preview(NEXT_LIMIT, signal), []);
  const holds = useApi((signal) => retentionApi.holds(signal), []);
  const [holdTarget, setHoldTarget] = useState<HoldTarget | null>(null);
  const [releaseTarget, setReleaseTarget] = useState<HeldTip | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);

  const reload = () => {
    preview.reload();
    holds.reload();
  };

  const release = async (tip: HeldTip) => {
    setError(undefined);
    setNotice(null);
    try {
      await retentionApi.release(tip.tipId);
      setNotice(t.retention.released);
    } catch (failure) {
      setError(failure);
    } finally {
      setReleaseTarget(null);
      reload();
    }
  };

  const policy = preview.data?.policy;
  return (
    <>
      <PageTitle>{t.retention.title}</PageTitle>
      {policy ? <p className="muted">{t.retention.intro(policy.closedDays, policy.rejectedDays)}</p> : null}
      <p className="muted">{t.retention.schedule(purgeTimeLabel())}</p>
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      <ErrorNotice error={error} context="retention" />

      <AsyncCard state={preview} title={t.retention.dueTitle} titleId="retention-due" testId="retention-due">
        {(data) => (
          <dl className="facts">
            {(['closed', 'rejected', 'duplicate'] as const).map((reason) => (
              <Fragment key={reason}>
                <dt>{t.retention.purgeReason[reason]}</dt>
                <dd data-testid={`due-${reason}`}>{formatNumber(data.due[reason])}</dd>
              </Fragment>
            ))}
            <dt>{t.retention.dueTotal}</dt>
            <dd data-testid="due-total">
              <strong>{formatNumber(data.due.total)}</strong>
            </dd>
            <dt>{t.retention.held}</dt>
            <dd data-testid="held-count">{formatNumber(data.held)}</dd>
          </dl>
        )}
      </AsyncCard>

      <AsyncCard
        state={preview}
        title={t.retention.nextTitle}
        titleId="retention-next"
        testId="retention-next"
      >
        {(data) => (
          <>
            {data.next.length > 0 ? <p className="hint">{t.retention.nextHint}</p> : null}
            <DataTable
              rows={data.next}
              labelledBy="retention-next"
              testId="retention-next-table"
              empty={t.retention.noneNext}
              rowKey={(tip: PurgeCandidate) => tip.tipId}
              rowProps={(tip) => ({ 'data-testid': 'retention-next-row', 'data-receipt': tip.receiptCode })}
              columns={[
                {
                  header: t.retention.receiptCode,
                  cell: (tip) => <Link to={`/tips/${tip.tipId}`}>{tip.receiptCode}</Link>,
                },
                { header: t.retention.status, cell: (tip) => <StatusBadge status={tip.status} /> },
                { header: t.retention.reason, cell: (tip) => t.retention.purgeReason[tip.reason] },
                { header: t.retention.closedAt, cell: (tip) => formatDate(tip.closedAt) },
                {
                  header: t.retention.purgeAt,
                  cell: (tip) => (
                    <>
                      {formatDate(tip.purgeAt)}{' '}
                      {isDue(tip.purgeAt, data.now) ? (
                        <span className="badge badge-deadline-overdue">{t.retention.dueNow}</span>
                      ) : null}
                    </>
                  ),
                },
                {
                  header: t.retention.actions,
                  cell: (tip) => (
                    <Button
                      className="btn-small"
                      onClick={() => setHoldTarget({ tipId: tip.tipId, receiptCode: tip.receiptCode })}
                      data-testid="hold-button"
                    >
                      {t.retention.hold}
                      <span className="visually-hidden"> {tip.receiptCode}</span>
                    </Button>
                  ),
                },
              ]}
            />
          </>
        )}
      </AsyncCard>

      <AsyncCard state={holds} title={t.retention.heldTitle} titleId="retention-held" testId="retention-held">
        {(data) => (
          <DataTable
            rows={data.holds}
            labelledBy="retention-held"
            testId="retention-held-table"
            empty={t.retention.noneHeld}
            rowKey={(tip: HeldTip) => tip.tipId}
            rowProps={(tip) => ({ 'data-testid': 'retention-held-row', 'data-receipt': tip.receiptCode })}
            columns={[
              {
                header: t.retention.receiptCode,
                cell: (tip) => <Link to={`/tips/${tip.tipId}`}>{tip.receiptCode}</Link>,
              },
              { header: t.retention.status, cell: (tip) => <StatusBadge status={tip.status} /> },
              { header: t.retention.holdReason, cell: (tip) => tip.hold.reason },
              {
                header: t.retention.heldSince,
                cell: (tip) => (
                  <>
                    {formatDateTime(tip.hold.placedAt)}
                    {tip.hold.placedByName ? <div className="muted">{tip.hold.placedByName}</div> : null}
                  </>
                ),
              },
              {
                header: t.retention.wouldPurgeAt,
                cell: (tip) => (tip.purgeAt ? formatDate(tip.purgeAt) : t.retention.stillOpen),
              },
              {
                header: t.retention.actions,
                cell: (tip) => (
                  <Button
                    className="btn-small"
                    variant="danger"
                    onClick={() => setReleaseTarget(tip)}
                    data-testid="release-button"
                  >
                    {t.retention.release}
                    <span className="visually-hidden"> {tip.receiptCode}</span>
                  </Button>
                ),
              },
            ]}
          />
        )}
      </AsyncCard>

      <section className="card" aria-labelledby="retention-hold-other">
        <h2 id="retention-hold-other">{t.retention.holdOtherTitle}</h2>
        <p className="hint">{t.retention.holdOtherHint}</p>
        <Button onClick={() => setHoldTarget({ receiptCode: null })} data-testid="hold-other">
          {t.retention.find}
        </Button>
      </section>

      {holdTarget ? (
        <HoldDialog
          target={holdTarget}
          onClose={() => setHoldTarget(null)}
          onHeld={() => {
            setHoldTarget(null);
            setError(undefined);
            setNotice(t.retention.holdPlaced);
            reload();
          }}
        />
      ) : null}
      <Dialog
        open={releaseTarget !== null}
        title={releaseTarget ? t.retention.releaseFor(releaseTarget.receiptCode) : ''}
        onClose={() => setReleaseTarget(null)}
        testId="release-dialog"
      >
        {releaseTarget ? (
          <>
            <p>{t.retention.releaseConfirm(releaseTarget.receiptCode)}</p>
            <div className="row">
              <Button variant="ghost" onClick={() => setReleaseTarget(null)}>
                {t.cancel}
              </Button>
              <Button
                variant="danger"
                onClick={() => void release(releaseTarget)}
                data-testid="release-confirm"
              >
                {t.retention.release}
              </Button>
            </div>
          </>
        ) : null}
      </Dialog>
    </>
  );
}

/** Places a hold on a listed tip, or on the tip of a typed receipt code (an open one too). */
function HoldDialog({ target, onClose, onHeld }: { target: HoldTarget; onClose(): void; onHeld(): void }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<{ code?: string; reason?: string }>({});
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const reasonProblem = holdReasonProblem(reason);
    const typed = target.receiptCode === null ? normalizeReceiptInput(code) : null;
    const found = {
      ...(target.receiptCode === null && !typed ? { code: t.validation.receiptCode } : {}),
      ...(reasonProblem === 'required'
        ? { reason: t.validation.required(t.retention.holdReason) }
        : reasonProblem === 'tooLong'
          ? { reason: t.validation.tooLong(t.retention.holdReason, 500) }
          : {}),
    };
    setProblems(found);
    if (found.code || found.reason) return;
    setBusy(true);
    setError(undefined);
    try {
      let tipId = 'tipId' in target ? target.tipId : null;
      if (!tipId && typed) {
        const [tip] = (await tipsApi.list({ receiptCode: typed, limit: 1 })).items;
        if (!tip) {
          setProblems({ code: t.validation.unknownReceipt(typed) });
          return;
        }
        tipId = tip.id;
      }
      await retentionApi.hold(tipId!, reason.trim());
      onHeld();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      title={target.receiptCode ? t.retention.holdFor(target.receiptCode) : t.retention.holdTitle}
      onClose={onClose}
      testId="hold-dialog"
    >
      <form onSubmit={submit} noValidate>
        <p className="hint">{t.retention.holdExplain}</p>
        <ErrorNotice error={error} context="retention" />
        {target.receiptCode === null ? (
          <FormField
            label={t.retention.receiptCode}
            value={code}
            onChange={setCode}
            error={problems.code}
            placeholder="TB-XXXXX-XXXXX"
            autoComplete="off"
            data-testid="hold-receipt"
          />
        ) : null}
        <Field label={t.retention.holdReason} error={problems.reason}>
          {(id, describedBy) => (
            <textarea
              id={id}
              rows={3}
              maxLength={500}
              value={reason}
              aria-invalid={problems.reason ? true : undefined}
              aria-describedby={describedBy}
              onChange={(event) => setReason(event.target.value)}
              data-testid="hold-reason"
            />
          )}
        </Field>
        <div className="row">
          <Button variant="ghost" onClick={onClose}>
            {t.cancel}
          </Button>
          <Button type="submit" variant="primary" busy={busy} data-testid="hold-submit">
            {t.retention.hold}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
