import { type Logger, type TriageTipJob, TriageTipJobSchema } from '@tinbao/shared';
import { type Job, UnrecoverableError } from 'bullmq';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../platform/db';
import { tips } from '../platform/schema';
import { isBorderCommune } from '../routing/service';
import { priorityOf } from './priority';

export interface TriageDeps {
  db: Db;
  logger: Logger;
}

/** Triage: settles the tip's priority from its clear fields and marks it ready for moderators. */
export function createTriageTipProcessor(deps: TriageDeps) {
  return async (job: Job<TriageTipJob>): Promise<{ tipId: string; triaged: boolean }> => {
    const payload = TriageTipJobSchema.safeParse(job.data);
    if (!payload.success) throw new UnrecoverableError('triage-tip job payload is not { tipId: uuid }');
    const { tipId } = payload.data;
    const [tip] = await deps.db
      .select({ observed: tips.observed, venueType: tips.venueType, communeCode: tips.communeCode })
      .from(tips)
      .where(eq(tips.id, tipId));
    if (!tip) throw new UnrecoverableError(`tip ${tipId} does not exist`);
    const borderCommune = tip.communeCode !== null && (await isBorderCommune(deps.db, tip.communeCode));
    const updated = await deps.db
      .update(tips)
      .set({ priority: priorityOf(tip, { borderCommune }), triagedAt: new Date() })
      .where(and(eq(tips.id, tipId), isNull(tips.triagedAt)))
      .returning({ id: tips.id });
    deps.logger.debug({ tipId }, 'tip triaged');
    return { tipId, triaged: updated.length === 1 };
  };
}
