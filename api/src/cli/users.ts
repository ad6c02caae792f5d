import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { passwordProblem, StaffRoleSchema, UsernameSchema } from '@tinbao/shared/api/auth';
import { DisplayNameSchema } from '@tinbao/shared/api/users';
import { ProvinceCodeSchema } from '@tinbao/shared/tips/schemas';
import { eq } from 'drizzle-orm';
import type { Database } from '../platform/db';
import { AppError } from '../platform/errors';
import { users } from '../platform/schema';
import {
  createUser,
  findUnitIdByCode,
  listUsers,
  resetPassword,
  resetTotp,
  updateUser,
} from '../users/service';
import { CliDatabaseError, openCliDatabase } from './database';

export const USERS_USAGE = `  users add --username <name> --role admin|moderator|unit_officer [--unit <unit code>]
            [--province <2-digit code>] [--display-name <text>] [--password-stdin]
                             create a staff account; asks for the password twice (or reads one
                             line from stdin with --password-stdin); TOTP is enrolled at first login;
                             --province limits a moderator to one province's tips (default: nationwide)
  users list                 list staff accounts
  users disable --username <name>     disable an account and end its sessions
  users enable --username <name>      enable it again
  users reset-2fa --username <name>   forget the TOTP secret (re-enrol at next login), end sessions
  users reset-password --username <name>  print a one-time temporary password (to be changed
                             at the next login), end sessions
                             database: DATABASE_URL, or the embedded one in DATA_DIR/pglite
                             (never created by the CLI: start TinBao once; it allows one
                             process: stop the api first)
`;

const CLI_ACTOR = 'cli';

class CliError extends Error {}

async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // One line: the trailing newline of `echo` or a file is not part of the password.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Asks on the terminal without echoing what is typed. */
function askHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const output = rl as unknown as { _writeToOutput: (text: string) => void; output: NodeJS.WriteStream };
    let prompted = false;
    output._writeToOutput = (text: string) => {
      // Show the prompt once; swallow the echo of every keystroke.
      if (!prompted) {
        process.stdout.write(text);
        prompted = true;
      }
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
  });
}

async function obtainPassword(fromStdin: boolean, username: string): Promise<string> {
  let password: string;
  if (fromStdin) {
    password = await readPasswordFromStdin();
  } else {
    if (!process.stdin.isTTY) throw new CliError('no terminal to ask the password on: use --password-stdin');
    password = await askHidden('password (12 characters or more): ');
    const again = await askHidden('password again: ');
    if (password !== again) throw new CliError('the two passwords differ');
  }
  const problem = passwordProblem(password, username);
  if (problem) throw new CliError(`password ${problem}`);
  return password;
}

async function usersAdd(database: Database, argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      username: { type: 'string' },
      role: { type: 'string' },
      unit: { type: 'string' },
      province: { type: 'string' },
      'display-name': { type: 'string' },
      'password-stdin': { type: 'boolean' },
    },
  });
  const username = UsernameSchema.safeParse(values.username ?? '');
  if (!username.success) throw new CliError(`--username ${username.error.issues[0]?.message}`);
  const role = StaffRoleSchema.safeParse(values.role);
  if (!role.success) throw new CliError('--role must be admin, moderator or unit_officer');
  if ((role.data === 'unit_officer') !== (values.unit !== undefined)) {
    throw new CliError('--unit <unit code> is required for a unit_officer and not allowed otherwise');
  }
  if (values.province !== undefined && role.data !== 'moderator') {
    throw new CliError(
      '--province is only for a moderator (admins are nationwide, unit officers have their unit)',
    );
  }
  const province = values.province === undefined ? undefined : ProvinceCodeSchema.safeParse(values.province);
  if (province && !province.success)
    throw new CliError('--province must be a 2-digit province code, e.g. 44');
  const displayName =
    values['display-name'] === undefined ? undefined : DisplayNameSchema.safeParse(values['display-name']);
  if (displayName && !displayName.success) {
    throw new CliError(`--display-name ${displayName.error.issues[0]?.message}`);
  }
  let unitId: string | null = null;
  if (values.unit !== undefined) {
    unitId = (await findUnitIdByCode(database.db, values.unit)) ?? null;
    if (!unitId) {
      throw new CliError(
        `no unit with code ${values.unit} (commune police units, CA-<commune code>, are loaded when the api first starts)`,
      );
    }
  }
  const password = await obtainPassword(values['password-stdin'] === true, username.data);
  const { user } = await createUser(
    database.db,
    {
      username: username.data,
      displayName: displayName?.data,
      role: role.data,
      unitId,
      provinceCode: province?.data ?? null,
      password,
    },
    CLI_ACTOR,
  );
  console.log(
    `created ${user.role} ${user.username} (id ${user.id}${user.unitCode ? `, unit ${user.unitCode}` : ''}${user.provinceCode ? `, province ${user.provinceCode}` : ''})`,
  );
  console.log(
    'next: open the moderation UI and log in with this username and password; the first login shows a QR code\n' +
      'to scan with an authenticator app (Google Authenticator, Aegis, FreeOTP…), then asks for its 6-digit code.\n' +
      'Every later login asks for a fresh code.',
  );
  return 0;
}

async function userIdOf(database: Database, argv: string[]): Promise<{ id: string; username: string }> {
  const { values } = parseArgs({ args: argv, options: { username: { type: 'string' } } });
  const parsed = UsernameSchema.safeParse(values.username ?? '');
  if (!parsed.success) throw new CliError('--username <name> is required');
  const [row] = await database.db
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(eq(users.username, parsed.data))
    .limit(1);
  if (!row) throw new CliError(`no user named ${parsed.data}`);
  return row;
}

async function usersList(database: Database): Promise<number> {
  const all = await listUsers(database.db);
  if (all.length === 0) {
    console.log('no staff accounts yet: npm run tinbao -- users add --username <name> --role admin');
    return 0;
  }
  const rows = all.map((u) => [
    u.username,
    u.role,
    u.unitCode ?? '-',
    u.provinceCode ?? (u.role === 'moderator' ? 'all' : '-'),
    u.disabled ? 'disabled' : u.lockedUntil ? 'locked' : 'active',
    u.totpEnrolled ? '2fa' : 'no 2fa yet',
    u.lastLoginAt ?? 'never',
    u.mustChangePassword ? 'temporary' : 'own',
  ]);
  const header = ['username', 'role', 'unit', 'province', 'state', 'totp', 'last login', 'password'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  for (const row of [header, ...rows])
    console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
  return 0;
}

/** `npm run tinbao -- users <command>`; returns the exit code. */
export async function usersCommand(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const known = ['add', 'list', 'disable', 'enable', 'reset-2fa', 'reset-password'];
  if (!command || !known.includes(command)) {
    console.error(`usage: npm run tinbao -- users <command>\n\n${USERS_USAGE}`);
    return 2;
  }
  let database: Database | undefined;
  try {
    database = await openCliDatabase();
    switch (command) {
      case 'add':
        return await usersAdd(database, rest);
      case 'list':
        return await usersList(database);
      case 'disable':
      case 'enable': {
        const user = await userIdOf(database, rest);
        await updateUser(database.db, user.id, { disabled: command === 'disable' }, CLI_ACTOR);
        console.log(
          `${user.username} ${command === 'disable' ? 'disabled; their sessions ended' : 'enabled'}`,
        );
        return 0;
      }
      case 'reset-2fa': {
        const user = await userIdOf(database, rest);
        await resetTotp(database.db, user.id, CLI_ACTOR);
        console.log(
          `${user.username}: TOTP forgotten and sessions ended; they enrol a new code at next login`,
        );
        return 0;
      }
      default: {
        const user = await userIdOf(database, rest);
        const temporary = await resetPassword(database.db, user.id, CLI_ACTOR);
        console.log(`${user.username}: temporary password (shown once): ${temporary}`);
        console.log('they must change it at their next login; their sessions ended');
        return 0;
      }
    }
  } catch (error) {
    if (error instanceof CliError || error instanceof CliDatabaseError || error instanceof AppError) {
      console.error(`tinbao users: ${error.message}`);
      return 1;
    }
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`tinbao users: ${(error as Error).message}`);
      return 2;
    }
    throw error;
  } finally {
    await database?.close();
  }
}
