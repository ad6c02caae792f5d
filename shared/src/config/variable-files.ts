import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Env } from './env';

/**
 * `NAME_FILE=/run/secrets/name`: the value of NAME read from a file (Docker secrets), so no
 * secret has to sit in the environment, where `docker inspect`, /proc and crash reports see it.
 */
export const FILE_SUFFIX = '_FILE';

/** A secret file is a token, a key or a URL: anything larger is the wrong file. */
export const MAX_VARIABLE_FILE_BYTES = 64 * 1024;

const FilePathSchema = z
  .string()
  .min(1, 'must be the path of a file')
  .refine((path) => !path.includes('\0'), 'must be the path of a file');

export interface VariableFiles {
  /** The environment with each NAME read from its NAME_FILE filled in (NAME_FILE itself stays). */
  env: Env;
  /** One line per problem, naming the NAME_FILE variable; never a file's contents. */
  problems: string[];
  /** NAME → NAME_FILE for each value that was read from a file. */
  readFrom: Map<string, string>;
  /** Names whose file was empty: left unset, like an empty variable. */
  empty: Set<string>;
  /** Names whose file could not be used: their own problems are already said. */
  failed: Set<string>;
}

export type ReadText = (path: string) => string;

const readUtf8: ReadText = (path) => readFileSync(path, 'utf8');

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (the file must be readable by the process user)';
    case 'EISDIR':
      return 'is a folder, not a file';
    default:
      return code ?? 'unreadable';
  }
}

/**
 * For each name, reads NAME_FILE when it is set. Both NAME and NAME_FILE set is a problem
 * (which one wins would be a guess); a missing or unreadable file is a problem naming the
 * variable and the path. Trailing line breaks are dropped (`echo token > file` adds one);
 * an empty file leaves NAME unset, as an empty variable does.
 */
export function readVariableFiles(env: Env, names: readonly string[], readText = readUtf8): VariableFiles {
  const resolved: Env = { ...env };
  const problems: string[] = [];
  const readFrom = new Map<string, string>();
  const empty = new Set<string>();
  const failed = new Set<string>();
  for (const name of names) {
    const fileVariable = `${name}${FILE_SUFFIX}`;
    const given = env[fileVariable];
    if (given === undefined || given === '') continue;
    const fail = (problem: string) => {
      problems.push(`${fileVariable}: ${problem}`);
      failed.add(name);
    };
    const path = FilePathSchema.safeParse(given);
    if (!path.success) {
      fail(path.error.issues[0]?.message ?? 'must be the path of a file');
      continue;
    }
    if (env[name] !== undefined && env[name] !== '') {
      fail(`set either ${name} or ${fileVariable}, not both`);
      continue;
    }
    let text: string;
    try {
      text = readText(path.data);
    } catch (error) {
      fail(`cannot read ${path.data}: ${describeReadError(error)}`);
      continue;
    }
    if (Buffer.byteLength(text) > MAX_VARIABLE_FILE_BYTES) {
      fail(`${path.data} is larger than ${MAX_VARIABLE_FILE_BYTES / 1024} KiB: not a secret file`);
      continue;
    }
    const value = text.replace(/[\r\n]+$/, '');
    readFrom.set(name, fileVariable);
    if (value === '') {
      empty.add(name);
      delete resolved[name];
    } else {
      resolved[name] = value;
    }
  }
  return { env: resolved, problems, readFrom, empty, failed };
}
