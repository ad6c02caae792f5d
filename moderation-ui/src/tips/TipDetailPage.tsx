import { TipConflictErrorSchema } from '@tinbao/shared/api/errors';
import type { TipAction, TipDetailResponse, TipTransitionRequest } from '@tinbao/shared/api/tips';
import { useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { actorOf, useCan } from '../auth/permissions';
import { useUser } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { AsyncCard } from '../layout/async';
import { Link } from '../layout/router';
import {
  Button,
  DeadlineBadge,
  ErrorNotice,
  Loading,
  Notice,
  PageTitle,
  PriorityBadge,
  StatusBadge,
} from '../layout/ui';
import { LegalHoldBadge } from '../retention/LegalHoldBadge';
import { ActionDialog, ExtendDeadlineDialog } from './ActionDialogs';
import { RoutingDialog } from './RoutingDialog';
import { TipNotes } from './TipNotes';
import { TipPhotos } from './TipPhotos';
import { TipQuestions } from './TipQuestions';
import { TipTimeline } from './TipTimeline';
import { tipsApi } from './tips-api';
import { useTipDetail } from './use-tip-detail';
import { visibleTipActions } from './visible-actions';

const ACTION_LABEL_KEY: Record<TipAction, string> = {
  start_review: 'in_review',
  validate: 'validated',
  reject: 'rejected',
  mark_duplicate: 'duplicate',
  route: 'routed',
  acknowledge: 'acknowledged',
  report_outcome: 'outcome_reported',
  close: 'closed',
};

/**
 * One tip: its decrypted content (held in this component's state only, gone when it
 * unmounts), photos, deadline, routes, notes, timeline and the actions allowed now.
 */
export function TipDetailPage({ id, context }: { id: string; context: 'queue' | 'inbox' }) {
  const { t, formatDateTime, formatDate } = useI18n();
  const user = useUser();
  const officer = user.role === 'unit_officer';
  const can = useCan();
  const { detail, timeline, notes, questions } = useTipDetail(id);
  const [dialog, setDialog] = useState<TipAction | 'extend' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(undefined);
  const [busyAction, setBusyAction] = useState<TipAction | null>(null);
  // The clicked button may vanish with the new state: keep keyboard focus in the actions card.
  const actionsHeading = useRef<HTMLHeadingElement>(null);
  const focusActions = () => window.requestAnimationFrame(() => actionsHeading.current?.focus());

  const back =
    context === 'inbox'
      ? { to: '/inbox', label: t.tip.backToInbox }
      : { to: '/tips', label: t.tip.backToQueue };

  if (detail.loading && !detail.data) return <Loading />;
  if (!detail.data)
    return (
      <>
        <Link to={back.to}>← {back.label}</Link>
        <ErrorNotice error={detail.error} onRetry={detail.reload} />
      </>
    );
  const { tip, content, deadlineExtensions } = detail.data;

  const applyResult = (
    update: Pick<TipDetailResponse, 'tip'> & Partial<Pick<TipDetailResponse, 'allowedActions'>>,
  ) => {
    detail.setData((current) => (current ? { ...current, ...update } : current));
    timeline.reload();
  };

  const transition = async (request: TipTransitionRequest) => {
    setActionError(undefined);
    setNotice(null);
    try {
      const result = await tipsApi.transition(id, request);
      applyResult(result);
      setDialog(null);
      setNotice(request.action === 'acknowledge' ? t.tip.acknowledged : t.tip.done);
      focusActions();
    } catch (failure) {
      // 409: someone else acted first; show what is allowed now.
      if (failure instanceof ApiError && failure.status === 409) {
        const conflict = TipConflictErrorSchema.safeParse(failure.body);
        if (conflict.success)
          detail.setData((current) =>
            current ? { ...current, allowedActions: conflict.data.allowed } : current,
          );
        detail.reload();
        setDialog(null);
        setActionError(failure);
        focusActions();
        return;
      }
      throw failure;
    }
  };

  const runDirect = async (action: TipAction) => {
    setBusyAction(action);
    try {
      await transition({ action, version: tip.version } as TipTransitionRequest);
    } catch (failure) {
      setActionError(failure);
    } finally {
      setBusyAction(null);
    }
  };

  const onAction = (action: TipAction) => {
    const direct =
      action === 'start_review' ||
      action === 'validate' ||
      action === 'close' ||
      (action === 'acknowledge' && officer);
    if (direct) void runDirect(action);
    else setDialog(action);
  };

  const visible = visibleTipActions(actorOf(user), detail.data);
  const actions = visible.filter((action): action is TipAction => action !== 'extend_deadline');
  const location = content.location;
  const area = content.locationArea;

  return (
    <>
      <Link to={back.to} data-testid="back-link">
        ← {back.label}
      </Link>
      <PageTitle>{t.tip.title(tip.receiptCode)}</PageTitle>
      <div className="row" style={{ marginBottom: '1rem' }} data-testid="tip-header">
        <StatusBadge status={tip.status} />
        <PriorityBadge priority={tip.priority} />
        <DeadlineBadge deadlineAt={tip.deadlineAt} status={tip.status} overdue={tip.overdue} />
        <LegalHoldBadge tipId={id} />
      </div>

      <section className="card" aria-labelledby="actions-title" data-testid="tip-actions">
        <h2 id="actions-title" ref={actionsHeading} tabIndex={-1}>
          {t.tip.actions}
        </h2>
        {notice ? <Notice tone="success">{notice}</Notice> : null}
        <ErrorNotice error={actionError} context="tip" />
        {actions.length === 0 ? (
          <p className="muted">{t.tip.noActions}</p>
        ) : (
          <div className="actions">
            {actions.map((action) => (
              <Button
                key={action}
                variant={action === 'reject' || action === 'mark_duplicate' ? 'danger' : 'primary'}
                busy={busyAction === action}
                onClick={() => onAction(action)}
                data-testid={`action-${action}`}
              >
                {t.transition[ACTION_LABEL_KEY[action]]}
              </Button>
            ))}
          </div>
        )}
      </section>

      <div className="detail-layout" style={{ marginTop: '1rem' }}>
        <div>
          <section className="card" aria-labelledby="content-title" data-testid="tip-content">
            <h2 id="content-title">{t.tip.content}</h2>
            <p className="hint">{t.tip.decryptedNotice}</p>
            <h3>{t.tip.description}</h3>
            <p className="description" data-testid="tip-description">
              {content.description}
            </p>
            <dl className="facts">
              <dt>{t.tip.category}</dt>
              <dd>{t.category[tip.category] ?? tip.category}</dd>
              <dt>{t.tip.place}</dt>
              <dd data-testid="tip-commune">
                {tip.communeCode === null ? (
                  <span className="badge badge-deadline-soon" data-testid="commune-unknown">
                    {t.tip.communeUnknown}
                  </span>
                ) : (
                  (tip.communeName ?? tip.communeCode)
                )}
                {tip.provinceName ? `, ${tip.provinceName}` : ''}
              </dd>
              <dt>{t.tip.venue}</dt>
              <dd>{t.venue[tip.venueType] ?? tip.venueType}</dd>
              <dt>{t.tip.observed}</dt>
              <dd>{t.observed[tip.observed] ?? tip.observed}</dd>
              <dt>{t.tip.receivedAt}</dt>
              <dd>{formatDateTime(tip.receivedAt)}</dd>
              <dt>{t.tip.channel}</dt>
              <dd>{t.channel[tip.channel] ?? tip.channel}</dd>
              {tip.statusReason ? (
                <>
                  <dt>{t.tip.statusReason}</dt>
                  <dd>{t.rejectReason[tip.statusReason] ?? tip.statusReason}</dd>
                </>
              ) : null}
              {tip.duplicateOf ? (
                <>
                  <dt>{t.tip.duplicateOfLabel}</dt>
                  <dd>
                    <Link to={`/tips/${tip.duplicateOf}`}>{tip.duplicateOf}</Link>
                  </dd>
                </>
              ) : null}
              {detail.data.duplicates.length > 0 ? (
                <>
                  <dt>{t.tip.duplicatesLabel}</dt>
                  <dd>
                    {detail.data.duplicates.map((duplicate) => (
                      <div key={duplicate}>
                        <Link to={`/tips/${duplicate}`}>{duplicate}</Link>
                      </div>
                    ))}
                  </dd>
                </>
              ) : null}
              <dt>{t.tip.followUp}</dt>
              <dd>{content.followUpConsent ? t.yes : t.no}</dd>
              {location ? (
                <>
                  <dt>{t.tip.location}</dt>
                  <dd data-testid="tip-location">
                    {location.latitude.toFixed(5)}, {location.longitude.toFixed(5)}
                  </dd>
                </>
              ) : null}
              {area ? (
                <>
                  <dt>{t.tip.locationArea}</dt>
                  <dd data-testid="tip-location-area">
                    {t.tip.locationAreaText(
                      `${area.latitude.toFixed(3)}, ${area.longitude.toFixed(3)}`,
                      Math.round(area.cellDegrees * 111),
                    )}
                  </dd>
                </>
              ) : null}
            </dl>
            <h3>{t.tip.photos}</h3>
            <TipPhotos photos={content.photos} />
          </section>
          {questions.error instanceof ApiError && questions.error.status === 403 ? null : (
            <AsyncCard
              state={questions}
              title={t.questions.title}
              titleId="questions-title"
              testId="tip-questions-card"
            >
              {(data) => (
                <TipQuestions
                  questions={data.questions}
                  mayAsk={data.mayAsk}
                  onAsk={async (text) => {
                    const created = await tipsApi.askQuestion(id, text);
                    questions.setData((current) =>
                      current ? { ...current, questions: [...current.questions, created.question] } : current,
                    );
                    timeline.reload();
                  }}
                  onWithdraw={async (questionId) => {
                    const withdrawn = await tipsApi.withdrawQuestion(id, questionId);
                    questions.setData((current) =>
                      current
                        ? {
                            ...current,
                            questions: current.questions.map((question) =>
                              question.id === questionId ? withdrawn.question : question,
                            ),
                          }
                        : current,
                    );
                    timeline.reload();
                  }}
                />
              )}
            </AsyncCard>
          )}
          <AsyncCard state={notes} title={t.tip.notes} titleId="notes-title">
            {(data) => (
              <TipNotes
                notes={data.notes}
                unitOnly={!can('tips.read_internal_notes')}
                onAdd={async (body) => {
                  const created = await tipsApi.addNote(id, body);
                  notes.setData((current) =>
                    current ? { ...current, notes: [...current.notes, created.note] } : current,
                  );
                  timeline.reload();
                }}
              />
            )}
          </AsyncCard>
        </div>
        <aside>
          <section className="card" aria-labelledby="deadline-title" data-testid="tip-deadline">
            <h2 id="deadline-title">{t.deadline.label}</h2>
            <p>
              <strong data-testid="deadline-date">{formatDate(tip.deadlineAt)}</strong>{' '}
              <DeadlineBadge deadlineAt={tip.deadlineAt} status={tip.status} overdue={tip.overdue} />
            </p>
            {deadlineExtensions.length > 0 ? (
              <ul className="routes">
                {deadlineExtensions.map((extension) => (
                  <li key={extension.id}>
                    +{extension.days} · {formatDate(extension.newDeadlineAt)} — {extension.reason}
                  </li>
                ))}
              </ul>
            ) : null}
            {visible.includes('extend_deadline') ? (
              <Button onClick={() => setDialog('extend')} data-testid="extend-deadline">
                {t.tip.extend}
              </Button>
            ) : null}
          </section>
          <section className="card" aria-labelledby="routes-title" data-testid="tip-routes">
            <h2 id="routes-title">{t.tip.units}</h2>
            {tip.routes.length === 0 ? (
              <p className="muted">{t.tip.noUnits}</p>
            ) : (
              <ul className="routes">
                {tip.routes.map((route) => (
                  <li key={route.unitId} data-testid="tip-route" data-unit-code={route.unitCode}>
                    <strong>{route.unitName}</strong> ({route.unitCode})
                    <div className="muted">
                      {formatDateTime(route.routedAt)}
                      {route.acknowledgedAt
                        ? ` · ${t.status.acknowledged} ${formatDateTime(route.acknowledgedAt)}`
                        : ''}
                      {route.outcome ? ` · ${t.outcome[route.outcome]}` : ''}
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <AsyncCard state={timeline} title={t.tip.timeline} titleId="timeline-title">
            {(data) =>
              data ? <TipTimeline events={data.events} questions={questions.data?.questions} /> : null
            }
          </AsyncCard>
        </aside>
      </div>

      <RoutingDialog
        tipId={id}
        open={dialog === 'route'}
        onClose={() => setDialog(null)}
        onRoute={(unitIds) => transition({ action: 'route', version: tip.version, unitIds })}
      />
      {dialog && dialog !== 'route' && dialog !== 'extend' ? (
        <ActionDialog
          action={dialog}
          tip={tip}
          officer={officer}
          onClose={() => setDialog(null)}
          onSubmit={transition}
        />
      ) : null}
      <ExtendDeadlineDialog
        open={dialog === 'extend'}
        onClose={() => setDialog(null)}
        onSubmit={async (days, reason) => {
          const result = await tipsApi.extendDeadline(id, { days, reason, version: tip.version });
          applyResult({ tip: result.tip });
          detail.reload();
          setDialog(null);
          setNotice(t.tip.done);
        }}
      />
    </>
  );
}
