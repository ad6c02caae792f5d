import type { CommunePlace } from '@tinbao/shared/api/places';
import type { RoutingProposal } from '@tinbao/shared/api/tips';
import type { Unit } from '@tinbao/shared/api/units';
import { type FormEvent, useEffect, useState } from 'react';
import { CommuneSearch } from '../admin-units/CommuneSearch';
import { useProvinceNames } from '../admin-units/use-communes';
import { useI18n } from '../i18n/i18n';
import { Button, Dialog, ErrorNotice, Field, Loading } from '../layout/ui';
import { unitsApi } from '../units/units-api';
import { tipsApi } from './tips-api';

/** Shows the units the routing rules propose (pre-selected) and lets the moderator add others. */
export function RoutingDialog({
  tipId,
  open,
  onClose,
  onRoute,
}: {
  tipId: string;
  open: boolean;
  onClose(): void;
  onRoute(unitIds: string[]): Promise<void>;
}) {
  const { t } = useI18n();
  const [proposals, setProposals] = useState<RoutingProposal[] | null>(null);
  const [extra, setExtra] = useState<Unit[]>([]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [code, setCode] = useState('');
  const [validation, setValidation] = useState<string | null>(null);
  const provinceNames = useProvinceNames();
  // Proposals carry no province: look their units up (one to three of them) to show it.
  const [proposalProvinces, setProposalProvinces] = useState<Map<string, string | null>>(() => new Map());
  const provinceOf = (provinceCode: string | null | undefined) =>
    provinceCode ? (provinceNames.get(provinceCode) ?? provinceCode) : null;

  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    setProposals(null);
    setError(undefined);
    tipsApi.proposals(tipId, controller.signal).then(
      (body) => {
        setProposals(body.proposals);
        setSelected(new Set(body.proposals.filter((p) => !p.alreadyRouted).map((p) => p.unitId)));
        for (const proposal of body.proposals)
          unitsApi.list({ q: proposal.unitCode, limit: 5 }, controller.signal).then(
            (found) => {
              const unit = found.units.find((candidate) => candidate.id === proposal.unitId);
              if (unit) setProposalProvinces((current) => new Map(current).set(unit.id, unit.provinceCode));
            },
            () => undefined,
          );
      },
      (failure: unknown) => {
        if (!controller.signal.aborted) setError(failure);
      },
    );
    return () => controller.abort();
  }, [open, tipId]);

  const toggle = (unitId: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(unitId);
      else next.delete(unitId);
      return next;
    });

  const addByCode = async () => {
    const wanted = code.trim().toUpperCase();
    if (!wanted) {
      setValidation(t.validation.required(t.routing.other));
      return;
    }
    try {
      const body = await unitsApi.list({ q: wanted, limit: 10 });
      const unit = body.units.find((candidate) => candidate.code.toUpperCase() === wanted) ?? body.units[0];
      if (!unit) {
        setValidation(t.errors.notFound);
        return;
      }
      setValidation(null);
      setExtra((current) => (current.some((u) => u.id === unit.id) ? current : [...current, unit]));
      toggle(unit.id, true);
      setCode('');
    } catch (failure) {
      setError(failure);
    }
  };

  // A commune typed by any name it had: add the units that cover it.
  const addUnitsOf = async (place: CommunePlace) => {
    try {
      const body = await unitsApi.list({ communeCode: place.code, limit: 20 });
      if (body.units.length === 0) {
        setValidation(t.places.noUnitFor(place.name));
        return;
      }
      setValidation(null);
      const proposed = new Set((proposals ?? []).map((proposal) => proposal.unitId));
      setExtra((current) => [
        ...current,
        ...body.units.filter((unit) => !proposed.has(unit.id) && !current.some((u) => u.id === unit.id)),
      ]);
      // A unit that already has the tip stays as it is.
      const routed = new Set((proposals ?? []).filter((p) => p.alreadyRouted).map((p) => p.unitId));
      for (const unit of body.units) if (!routed.has(unit.id)) toggle(unit.id, true);
    } catch (failure) {
      setError(failure);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (selected.size === 0) {
      setValidation(t.routing.noneSelected);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await onRoute([...selected]);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const reasonText = (reason: string) =>
    reason === 'covers_commune'
      ? t.admin.ruleDefault
      : reason.startsWith('rule:')
        ? `${t.routing.because} ${reason.slice(5)}`
        : reason;

  return (
    <Dialog open={open} title={t.routing.title} onClose={onClose} testId="routing-dialog">
      <form onSubmit={submit}>
        <p className="muted">{t.routing.intro}</p>
        <ErrorNotice error={error} context="tip" />
        {validation ? (
          <p className="notice notice-error" role="alert">
            {validation}
          </p>
        ) : null}
        {proposals === null && !error ? <Loading /> : null}
        <fieldset style={{ border: 'none', padding: 0, margin: 0 }}>
          <legend className="visually-hidden">{t.routing.proposed}</legend>
          {(proposals ?? []).map((proposal) => (
            <div
              className="proposal"
              key={proposal.unitId}
              data-testid="routing-proposal"
              data-unit-code={proposal.unitCode}
            >
              <input
                type="checkbox"
                id={`unit-${proposal.unitId}`}
                checked={selected.has(proposal.unitId)}
                disabled={proposal.alreadyRouted}
                onChange={(event) => toggle(proposal.unitId, event.target.checked)}
              />
              <div>
                <label htmlFor={`unit-${proposal.unitId}`}>
                  {proposal.unitName} <span className="muted">({proposal.unitCode})</span>
                  {provinceOf(proposalProvinces.get(proposal.unitId)) ? (
                    <span className="muted" data-testid="unit-province">
                      {' '}
                      · {provinceOf(proposalProvinces.get(proposal.unitId))}
                    </span>
                  ) : null}
                </label>
                <div className="hint">
                  {t.unitKind[proposal.kind]} · {proposal.reasons.map(reasonText).join('; ')}
                </div>
              </div>
            </div>
          ))}
          {extra.map((unit) => (
            <div className="proposal" key={unit.id}>
              <input
                type="checkbox"
                id={`unit-${unit.id}`}
                checked={selected.has(unit.id)}
                onChange={(event) => toggle(unit.id, event.target.checked)}
              />
              <label htmlFor={`unit-${unit.id}`}>
                {unit.name} <span className="muted">({unit.code})</span>
                {provinceOf(unit.provinceCode) ? (
                  <span className="muted" data-testid="unit-province">
                    {' '}
                    · {provinceOf(unit.provinceCode)}
                  </span>
                ) : null}
              </label>
            </div>
          ))}
        </fieldset>
        <div className="row" style={{ justifyContent: 'flex-start', alignItems: 'flex-end' }}>
          <Field label={t.routing.other} className="grow">
            {(id) => (
              <input
                id={id}
                value={code}
                onChange={(event) => setCode(event.target.value)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter') {
                    event.preventDefault();
                    void addByCode();
                  }
                }}
              />
            )}
          </Field>
          <Button onClick={() => void addByCode()} style={{ marginBottom: '0.9rem' }}>
            +<span className="visually-hidden">{t.routing.other}</span>
          </Button>
        </div>
        <CommuneSearch
          label={t.places.addUnitsOf}
          onPick={(place) => void addUnitsOf(place)}
          testId="routing-commune-search"
        />
        <div className="row">
          <Button variant="ghost" onClick={onClose}>
            {t.cancel}
          </Button>
          <Button type="submit" variant="primary" busy={busy} data-testid="routing-submit">
            {t.routing.submit}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
