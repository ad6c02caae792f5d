import { TipCategorySchema, VenueTypeSchema } from '@tinbao/shared';
import { boolean, index, pgTable, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { adminUnits } from '../admin-units/schema';
import { createdAt, enumCheck, enumValues } from '../platform/columns';
import { units } from '../units/schema';

/** Rules that propose units beyond the commune's own police: null conditions match anything. */
export const routingRules = pgTable(
  'routing_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'cascade' }),
    enabled: boolean('enabled').notNull().default(true),
    provinceCode: varchar('province_code', { length: 2 }).references(() => adminUnits.code),
    communeCode: varchar('commune_code', { length: 5 }).references(() => adminUnits.code),
    category: text('category', { enum: enumValues(TipCategorySchema.options) }),
    venueType: text('venue_type', { enum: enumValues(VenueTypeSchema.options) }),
    borderAreaOnly: boolean('border_area_only').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    index('routing_rules_unit_idx').on(table.unitId),
    enumCheck('routing_rules_category_check', table.category, TipCategorySchema.options),
    enumCheck('routing_rules_venue_type_check', table.venueType, VenueTypeSchema.options),
  ],
);

/** Communes on the border, set by admins: their tips are high priority and match border rules. */
export const borderCommunes = pgTable('border_communes', {
  communeCode: varchar('commune_code', { length: 5 })
    .primaryKey()
    .references(() => adminUnits.code),
  addedAt: createdAt(),
  addedBy: uuid('added_by'),
});
