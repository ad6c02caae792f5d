import { index, pgTable, text, varchar } from 'drizzle-orm/pg-core';

/** Vietnam's provinces (level 'province', 2-digit code) and communes (5-digit code), 2025 structure. */
export const adminUnits = pgTable(
  'admin_units',
  {
    code: varchar('code', { length: 5 }).primaryKey(),
    level: text('level', { enum: ['province', 'commune'] }).notNull(),
    name: text('name').notNull(),
    unitType: text('unit_type').notNull(),
    parentCode: varchar('parent_code', { length: 5 }),
    /** Folded name (no marks, đ→d, no spaces) for accent-insensitive search. */
    searchKey: text('search_key').notNull(),
  },
  (table) => [index('admin_units_parent_idx').on(table.parentCode)],
);
