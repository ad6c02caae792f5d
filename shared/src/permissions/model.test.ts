import { describe, expect, it } from 'vitest';
import { StaffRoleSchema } from '../api/auth';
import { TipStatusSchema } from '../tips/schemas';
import { allowedTipActions, can, PERMISSIONS, type TipResource } from './model';
import { type Actor, STAFF_ROLES } from './roles';
import { coarseArea, tipFieldAccess } from './tip-fields';
import { OPEN_STATUSES } from './tip-workflow';

const UNIT = '11111111-1111-4111-8111-111111111111';
const OTHER_UNIT = '22222222-2222-4222-8222-222222222222';
const actor = (role: Actor['role'], extra: Partial<Actor> = {}): Actor => ({
  userId: '33333333-3333-4333-8333-333333333333',
  role,
  unitId: role === 'unit_officer' ? UNIT : null,
  provinceCode: null,
  ...extra,
});
const tip = (status: TipResource['status'], routes: TipResource['routes'] = []): TipResource => ({
  status,
  provinceCode: '44',
  routes,
});
const routed = { unitId: UNIT, acknowledgedAt: null, outcome: null };

describe('the permission model', () => {
  it('declares the roles once (the API schemas use the same list)', () => {
    expect(StaffRoleSchema.options).toEqual([...STAFF_ROLES]);
    for (const entry of Object.values(PERMISSIONS))
      for (const role of entry.roles) expect(STAFF_ROLES).toContain(role);
  });

  it('lets only those who route a tip ask for routing proposals', () => {
    expect(can(actor('moderator'), 'tips.route')).toBe(true);
    expect(can(actor('unit_officer'), 'tips.route')).toBe(false);
    expect(can(actor('unit_officer'), 'tips.route', { tip: tip('routed', [routed]) })).toBe(false);
  });

  it('lets every role in scope extend the deadline of an open tip, and nobody that of a closed one', () => {
    for (const status of TipStatusSchema.options) {
      const open = (OPEN_STATUSES as readonly string[]).includes(status);
      expect(can(actor('moderator'), 'tips.extend_deadline', { tip: tip(status) })).toBe(open);
      expect(can(actor('unit_officer'), 'tips.extend_deadline', { tip: tip(status, [routed]) })).toBe(open);
      // Out of scope: another unit's officer, another province's moderator.
      expect(
        can(actor('unit_officer', { unitId: OTHER_UNIT }), 'tips.extend_deadline', {
          tip: tip(status, [routed]),
        }),
      ).toBe(false);
      expect(
        can(actor('moderator', { provinceCode: '01' }), 'tips.extend_deadline', { tip: tip(status) }),
      ).toBe(false);
    }
  });

  it('narrows tip actions by role, status and the routes of the officer’s unit', () => {
    expect(allowedTipActions(actor('moderator'), tip('new'))).toEqual(['start_review', 'mark_duplicate']);
    expect(allowedTipActions(actor('unit_officer'), tip('routed', [routed]))).toEqual(['acknowledge']);
    const acknowledged = { ...routed, acknowledgedAt: '2026-01-01T00:00:00.000Z' };
    expect(allowedTipActions(actor('unit_officer'), tip('acknowledged', [acknowledged]))).toEqual([
      'report_outcome',
    ]);
    expect(allowedTipActions(actor('unit_officer', { unitId: OTHER_UNIT }), tip('routed', [routed]))).toEqual(
      [],
    );
    expect(can(actor('unit_officer'), 'validate')).toBe(false);
    expect(can(actor('moderator'), 'validate', { tip: tip('in_review') })).toBe(true);
    expect(can(actor('moderator'), 'validate', { tip: tip('new') })).toBe(false);
  });

  it('keeps a province moderator to their province', () => {
    const own = actor('moderator', { provinceCode: '44' });
    expect(can(own, 'stats.read', { provinceCode: '44' })).toBe(true);
    expect(can(own, 'stats.read', { provinceCode: '01' })).toBe(false);
    expect(can(own, 'stats.read', { provinceCode: null })).toBe(true);
    expect(can(actor('unit_officer'), 'stats.read')).toBe(false);
  });

  it('sends the pseudonym, internal notes, staff names and the pin to moderators and admins only', () => {
    const all = { reporterPseudonym: true, internalNotes: true, staffNames: true, exactLocation: true };
    expect(tipFieldAccess(actor('admin'))).toEqual(all);
    expect(tipFieldAccess(actor('moderator', { provinceCode: '44' }))).toEqual(all);
    expect(tipFieldAccess(actor('unit_officer'))).toEqual({
      reporterPseudonym: false,
      internalNotes: false,
      staffNames: false,
      exactLocation: false,
    });
  });

  it('coarsens a pin to the centre of its 0.01° cell, the same for every pin in the cell', () => {
    expect(coarseArea({ latitude: 16.61234, longitude: 106.91876 })).toEqual({
      latitude: 16.615,
      longitude: 106.915,
      cellDegrees: 0.01,
    });
    // 16.6 is 1659.99… hundredths in binary: still the cell that starts at 16.60.
    expect(coarseArea({ latitude: 16.6, longitude: 106.9 })).toMatchObject({
      latitude: 16.605,
      longitude: 106.905,
    });
    expect(coarseArea({ latitude: 16.60999, longitude: 106.90001 })).toMatchObject({
      latitude: 16.605,
      longitude: 106.905,
    });
    expect(coarseArea({ latitude: -0.001, longitude: -179.999 })).toMatchObject({
      latitude: -0.005,
      longitude: -179.995,
    });
  });
});
