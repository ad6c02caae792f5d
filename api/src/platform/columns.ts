import { type SQL, sql } from 'drizzle-orm';
import { type AnyPgColumn, check, customType, timestamp } from 'drizzle-orm/pg-core';

/** bytea as Uint8Array on both engines (node-postgres hands back Buffer, PGlite Uint8Array). */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  fromDriver: (value) => new Uint8Array(value),
});

export const createdAt = () =>
  timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

/** `column IN ('a', 'b')` with the values inlined (CHECK constraints and index predicates take no parameters). */
export function inList(column: AnyPgColumn, values: readonly string[]): SQL {
  const list = values.map((value) => `'${value.replaceAll("'", "''")}'`).join(', ');
  return sql`${column} IN (${sql.raw(list)})`;
}

/**
 * A CHECK that keeps a text column to the values of a shared zod enum, so the database
 * refuses what the schemas refuse (NULL passes: nullability is the column's own rule).
 */
export const enumCheck = (name: string, column: AnyPgColumn, values: readonly string[]) =>
  check(name, inList(column, values));

/** A zod enum's values as the non-empty tuple Drizzle's `text(…, { enum })` asks for. */
export function enumValues<T extends string>(options: readonly T[]): [T, ...T[]] {
  return options as [T, ...T[]];
}
