import type { AdminUnits } from '@tinbao/shared';
import { count, eq } from 'drizzle-orm';
import type { Db } from '../platform/db';
import { adminUnits, unitCommunes, units } from '../platform/schema';

const BATCH = 500;

/** "Xã Đakrông" → "Công an xã Đakrông": the unit that receives a commune's cases by default. */
export function communePoliceName(communeName: string, communeType: string): string {
  return `Công an ${communeType.toLocaleLowerCase('vi')} ${communeName.slice(communeType.length + 1)}`;
}

/**
 * Loads the administrative units and, for every commune, its commune police unit.
 * Runs on every start and does nothing once the data is there; codes never change
 * meaning within the 2025 list, so an upsert keeps names current.
 */
export async function seedAdminUnits(
  db: Db,
  data: AdminUnits,
  onProgress?: (done: number, total: number) => void,
): Promise<{ inserted: boolean }> {
  const [existing] = await db.select({ n: count() }).from(adminUnits).where(eq(adminUnits.level, 'commune'));
  if ((existing?.n ?? 0) >= data.communes.length) return { inserted: false };

  const rows = [
    ...data.provinces.map((p) => ({
      code: p.code,
      level: 'province' as const,
      name: p.name,
      unitType: p.type,
      parentCode: null,
      searchKey: p.searchKey,
    })),
    ...data.communes.map((c) => ({
      code: c.code,
      level: 'commune' as const,
      name: c.name,
      unitType: c.type,
      parentCode: c.provinceCode,
      searchKey: c.searchKey,
    })),
  ];
  const total = rows.length + data.communes.length;
  let done = 0;
  await db.transaction(async (tx) => {
    for (let start = 0; start < rows.length; start += BATCH) {
      const batch = rows.slice(start, start + BATCH);
      await tx.insert(adminUnits).values(batch).onConflictDoNothing();
      done += batch.length;
      onProgress?.(done, total);
    }
    for (let start = 0; start < data.communes.length; start += BATCH) {
      const batch = data.communes.slice(start, start + BATCH);
      const created = await tx
        .insert(units)
        .values(
          batch.map((c) => ({
            code: `CA-${c.code}`,
            name: communePoliceName(c.name, c.type),
            kind: 'commune_police' as const,
            provinceCode: c.provinceCode,
          })),
        )
        .onConflictDoNothing()
        .returning({ id: units.id, code: units.code });
      if (created.length > 0) {
        await tx
          .insert(unitCommunes)
          .values(created.map((unit) => ({ unitId: unit.id, communeCode: unit.code.slice(3) })))
          .onConflictDoNothing();
      }
      done += batch.length;
      onProgress?.(done, total);
    }
  });
  return { inserted: true };
}
