/**
 * The UI shows a tip action exactly when the API accepts it: for each role and each status,
 * the buttons the tip page would show (visibleTipActions, from the detail the API answers and
 * the shared permission model) equal the actions the API carries out when tried on a copy.
 */

import { tipRoutes } from '@tinbao/api/platform/schema';
import {
  COMMUNE_A,
  createWorkflowHarness,
  type Persona,
  type WorkflowHarness,
} from '@tinbao/api/tips/test-harness';
import { createTestTip } from '@tinbao/api/tips/testing';
import type { TipStatus } from '@tinbao/shared';
import { TipStatusSchema } from '@tinbao/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACTION_ORDER,
  type VisibleAction,
  visibleTipActions,
} from '../../moderation-ui/src/tips/visible-actions';

let h: WorkflowHarness;
beforeAll(async () => {
  h = await createWorkflowHarness('pglite');
});
afterAll(async () => {
  await h?.destroy();
});

const ROUTED: TipStatus[] = ['routed', 'acknowledged', 'outcome_reported'];

/** A tip in `status`, routed to unit A in the state that status implies. */
async function tipIn(status: TipStatus): Promise<string> {
  const routed = ROUTED.includes(status);
  const tip = await createTestTip(h.database.db, h.orgKeys.publicKey, {
    communeCode: COMMUNE_A,
    status,
    ...(routed ? { routedTo: [h.unitA], acknowledged: status !== 'routed' } : {}),
  });
  if (status === 'outcome_reported')
    await h.database.db
      .update(tipRoutes)
      .set({ outcome: 'case_opened', outcomeAt: new Date() })
      .where(eq(tipRoutes.tipId, tip.id));
  return tip.id;
}

/** Tries one action as the persona on a fresh copy; true when the API carried it out. */
async function apiAccepts(persona: Persona, status: TipStatus, action: VisibleAction): Promise<boolean> {
  const id = await tipIn(status);
  const agent = h.agents[persona];
  if (action === 'extend_deadline') {
    const response = await agent
      .post(`/api/v1/tips/${id}/deadline-extensions`)
      .send({ days: 5, reason: 'Cần thêm thời gian xác minh.' });
    return response.status === 201;
  }
  const forUnit = persona === 'officerRouted' ? {} : { unitId: h.unitA };
  const bodies: Record<typeof action, Record<string, unknown>> = {
    start_review: {},
    validate: {},
    close: {},
    reject: { reason: 'spam' },
    mark_duplicate: { duplicateOf: await tipIn('new') },
    route: { unitIds: [h.unitB] },
    acknowledge: forUnit,
    report_outcome: { ...forUnit, outcome: 'arrests' },
  };
  const response = await agent.post(`/api/v1/tips/${id}/transitions`).send({ action, ...bodies[action] });
  return response.status === 200;
}

const PERSONAS: Persona[] = ['admin', 'moderator', 'officerRouted'];

describe("the UI's visible actions equal the API's allowed actions", () => {
  for (const persona of PERSONAS) {
    it(`for ${persona}, in every status`, async () => {
      const user = h.users[persona as Exclude<Persona, 'anonymous'>];
      const actor = {
        userId: user.id,
        role: user.role,
        unitId: user.unitId,
        provinceCode: null,
      };
      const mismatches: string[] = [];
      for (const status of TipStatusSchema.options) {
        const id = await tipIn(status);
        const detail = await h.agents[persona].get(`/api/v1/tips/${id}`);
        // An officer sees only tips routed to their unit: no page, nothing to show.
        const shown = detail.status === 200 ? visibleTipActions(actor, detail.body) : [];
        const accepted: VisibleAction[] = [];
        for (const action of [...ACTION_ORDER, 'extend_deadline'] as VisibleAction[])
          if (await apiAccepts(persona, status, action)) accepted.push(action);
        if ([...shown].sort().join() !== [...accepted].sort().join())
          mismatches.push(`${status}: UI shows [${shown}], API accepts [${accepted}]`);
      }
      expect(mismatches).toEqual([]);
    });
  }
});
