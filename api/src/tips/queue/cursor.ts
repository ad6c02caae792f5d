import { type TipListQuery, TipSortSchema } from '@tinbao/shared/api/tips';
import { z } from 'zod';
import { badRequest } from '../../platform/errors';
import type { SummaryRow } from '../presenter';

const CursorSchema = z.tuple([TipSortSchema, z.number().int(), z.iso.datetime(), z.uuid()]);
export type Cursor = z.infer<typeof CursorSchema>;

/** The keyset position after a row, for the sort it was listed in. */
export function encodeCursor(sort: TipListQuery['sort'], row: SummaryRow): string {
  const time = sort === 'received' ? row.receivedAt : row.deadlineAt;
  return Buffer.from(JSON.stringify([sort, row.priority, time.toISOString(), row.id])).toString('base64url');
}

export function decodeCursor(cursor: string, sort: TipListQuery['sort']): Cursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('cursor is not valid: use nextCursor from the previous page');
  }
  const parsed = CursorSchema.safeParse(value);
  if (!parsed.success || parsed.data[0] !== sort) {
    throw badRequest('cursor is not valid: use nextCursor from the previous page with the same sort');
  }
  return parsed.data;
}
