import type { NotificationTarget, UnitDetail } from '@tinbao/shared/api/units';
import { useState } from 'react';
import { useApi } from '../layout/use-api';
import { type UnitInput, type UnitListFilter, unitsApi } from './units-api';

/** The units a filter finds (code or name, province, commune); asked again when it changes. */
export function useUnits(filter: UnitListFilter) {
  return useApi((signal) => unitsApi.list(filter, signal), [JSON.stringify(filter)]);
}

/** The units page's search: a province and a typed text, what they found, and a new unit. */
export function useUnitSearch() {
  const [provinceCode, setProvinceCode] = useState('');
  const [q, setQ] = useState('');
  const units = useUnits({ q: q.trim() || undefined, provinceCode: provinceCode || undefined, limit: 100 });
  const create = async (request: UnitInput): Promise<UnitDetail> => {
    const body = await unitsApi.create(request);
    units.reload();
    return body.unit;
  };
  return { provinceCode, setProvinceCode, q, setQ, units, create };
}

export type UnitSearch = ReturnType<typeof useUnitSearch>;

/** One unit as stored, and the changes to it; each save throws when the API refuses it. */
export function useUnit(unitId: string) {
  const unit = useApi((signal) => unitsApi.get(unitId, signal), [unitId]);
  return {
    unit,
    saveCommunes: async (communeCodes: string[]): Promise<void> => {
      await unitsApi.setCommunes(unitId, communeCodes);
      unit.reload();
    },
    /** Resolves with the list as the API stored it, so the next change starts from that one. */
    saveNotificationTargets: async (targets: NotificationTarget[]): Promise<NotificationTarget[]> => {
      const body = await unitsApi.setNotificationTargets(unitId, targets);
      unit.reload();
      return body.unit.notificationTargets;
    },
  };
}
