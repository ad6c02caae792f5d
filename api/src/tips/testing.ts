/**
 * Test data for tips (never imported by production code). Tips go in through the intake
 * path: the content sealed to the org key, the row written by insertTipIfAbsent.
 *
 *   const { id } = await createTestTip(db, orgKeys.publicKey, { communeCode: '19564', status: 'validated' });
 */
import { loadAdminUnits, sealTip, splitSubmission, type TipStatus, type TipSubmission } from '@tinbao/shared';
import { isClosedStatus } from '@tinbao/shared/permissions/index';
import { buildTipSubmission } from '@tinbao/shared/testing/tips';
import { eq } from 'drizzle-orm';
import { seedAdminUnits } from '../admin-units/seed';
import type { Db } from '../platform/db';
import { tipRoutes, tips, units } from '../platform/schema';
import { insertTipIfAbsent } from './repository';

export interface TestTipOptions extends Partial<TipSubmission> {
  receivedAt?: Date;
  /** Put the row straight into this status (tests of the state machine start anywhere). */
  status?: TipStatus;
  /** Route the tip to these units (tip_routes rows), as a moderator would have. */
  routedTo?: string[];
  /** Mark those routes acknowledged. */
  acknowledged?: boolean;
  /** When it left the workflow (default: now for a closed, rejected or duplicate status). */
  closedAt?: Date;
}

export interface TestTip {
  id: string;
  receiptCode: string;
  submission: TipSubmission;
}

export async function createTestTip(
  db: Db,
  orgPublicKey: Uint8Array,
  options: TestTipOptions = {},
): Promise<TestTip> {
  const { receivedAt, status, routedTo, acknowledged, closedAt, ...overrides } = options;
  const submission = buildTipSubmission(overrides);
  const { clear, content } = splitSubmission(submission);
  const envelope = await sealTip(content, clear, [orgPublicKey]);
  await insertTipIfAbsent(db, { clear, envelope }, receivedAt ?? new Date());
  if (status || closedAt) {
    const closing = closedAt ?? (status && isClosedStatus(status) ? new Date() : undefined);
    await db
      .update(tips)
      .set({ ...(status ? { status } : {}), ...(closing ? { closedAt: closing } : {}) })
      .where(eq(tips.id, clear.id));
  }
  if (routedTo?.length) {
    await db.insert(tipRoutes).values(
      routedTo.map((unitId) => ({
        tipId: clear.id,
        unitId,
        ...(acknowledged ? { acknowledgedAt: new Date() } : {}),
      })),
    );
  }
  return { id: clear.id, receiptCode: clear.receiptCode, submission };
}

/**
 * Administrative units of a few provinces only (default Quảng Trị, 44), with their commune
 * police units: seeding all 3,321 communes costs seconds per test file.
 */
export async function seedTestAdminUnits(db: Db, provinceCodes: string[] = ['44']): Promise<void> {
  const all = loadAdminUnits();
  const wanted = new Set(provinceCodes);
  const communes = all.communes.filter((c) => wanted.has(c.provinceCode));
  await seedAdminUnits(db, {
    ...all,
    provinces: all.provinces.filter((p) => wanted.has(p.code)),
    communes,
  });
}

/** The commune police unit of a commune (seeded as CA-<communeCode>). */
export async function communePoliceUnitId(db: Db, communeCode: string): Promise<string> {
  const [unit] = await db
    .select({ id: units.id })
    .from(units)
    .where(eq(units.code, `CA-${communeCode}`));
  if (!unit) throw new Error(`no commune police unit for ${communeCode}: seed the province first`);
  return unit.id;
}
