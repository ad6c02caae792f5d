import type { Logger } from '@tinbao/shared';
import { writeSecretFile } from '@tinbao/shared';
import { count } from 'drizzle-orm';
import type { Db } from '../platform/db';
import { users } from '../platform/schema';
import { createUser } from './service';

/**
 * First start of the embedded default: with no staff account at all, creates `admin` with a
 * one-time password written to a 0600 file (never logged), so a newcomer can log in at once.
 * TOTP is enrolled at that first login.
 */
export async function bootstrapFirstAdmin(db: Db, file: string, logger: Logger): Promise<boolean> {
  const [existing] = await db.select({ n: count() }).from(users);
  if ((existing?.n ?? 0) > 0) return false;
  const { temporaryPassword } = await createUser(
    db,
    { username: 'admin', displayName: 'Quản trị viên', role: 'admin' },
    'cli',
  );
  await writeSecretFile(
    file,
    [
      'TinBao first administrator (created on first start; delete this file once you have logged in)',
      'username: admin',
      `password: ${temporaryPassword}`,
      'At the first login you enrol a TOTP app (scan the QR code) and choose a new password (this one stops working),',
      'then change roles and add users in Quản trị.',
      '',
    ].join('\n'),
  );
  logger.info({ file }, 'created the first admin account; its one-time password is in the file');
  return true;
}
