import { UnitKindSchema } from '@tinbao/shared/api/units';
import { boolean, index, pgTable, primaryKey, text, unique, uuid, varchar } from 'drizzle-orm/pg-core';
import { adminUnits } from '../admin-units/schema';
import { createdAt, enumCheck, enumValues } from '../platform/columns';

/** Police units that receive cases: commune police, border guard stations, specialised units. */
export const units = pgTable(
  'units',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    kind: text('kind', { enum: enumValues(UnitKindSchema.options) }).notNull(),
    provinceCode: varchar('province_code', { length: 2 }).references(() => adminUnits.code),
    /** Inactive units receive no new routes. */
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (table) => [enumCheck('units_kind_check', table.kind, UnitKindSchema.options)],
);

/**
 * Where "a case arrived" goes for a unit (no tip content): a channel and an address on it — a
 * Telegram group chat id today, never a resident's chat. Another channel is one more value here.
 */
export const unitNotificationTargets = pgTable(
  'unit_notification_targets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'cascade' }),
    channel: text('channel', { enum: ['telegram'] }).notNull(),
    address: text('address').notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    unique('unit_notification_targets_unit_channel_address_key').on(
      table.unitId,
      table.channel,
      table.address,
    ),
    enumCheck('unit_notification_targets_channel_check', table.channel, ['telegram']),
  ],
);

export const unitCommunes = pgTable(
  'unit_communes',
  {
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'cascade' }),
    communeCode: varchar('commune_code', { length: 5 })
      .notNull()
      .references(() => adminUnits.code),
  },
  (table) => [
    primaryKey({ columns: [table.unitId, table.communeCode] }),
    index('unit_communes_commune_idx').on(table.communeCode),
  ],
);
