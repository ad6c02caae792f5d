import type { z } from 'zod';
import { readVariableFiles } from './variable-files';

export type Env = Record<string, string | undefined>;

export type ConfigResult<T> = { ok: true; config: T } | { ok: false; problems: string[] };

export interface ConfigOptions {
  /** Variables that may also come from a file named by NAME_FILE (Docker secrets). */
  fileVariables?: readonly string[];
}

/**
 * Parses the environment once, collecting every problem rather than stopping at the
 * first, so an operator fixes a broken deployment in one pass.
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  env: Env,
  options: ConfigOptions = {},
): ConfigResult<z.output<S>> {
  // Empty strings mean "not set": docker-compose and shells produce them for unset values.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const files = readVariableFiles(cleaned, options.fileVariables ?? []);
  const result = schema.safeParse(files.env);
  if (result.success && files.problems.length === 0) return { ok: true, config: result.data };
  const issues = result.success ? [] : result.error.issues;
  const problems = [...files.problems];
  for (const issue of issues) {
    const first = issue.path.length === 1 ? String(issue.path[0]) : undefined;
    // A file that could not be read was said already; "NAME is required" would say it twice.
    if (first !== undefined && files.failed.has(first)) continue;
    const name = issue.path.length > 0 ? issue.path.join('.') : 'environment';
    const given = first !== undefined ? files.env[first] : undefined;
    let detail =
      given === undefined && issue.code === 'invalid_type' ? 'is required but not set' : issue.message;
    const fileVariable = first !== undefined ? files.readFrom.get(first) : undefined;
    if (fileVariable && first !== undefined && files.empty.has(first))
      detail += ` (${fileVariable} names an empty file)`;
    else if (fileVariable) detail += ` (read from ${fileVariable})`;
    problems.push(`${name}: ${detail}`);
  }
  return { ok: false, problems };
}

/** For composition roots: on a bad environment, one line per problem and exit code 1, no stack trace. */
export function loadConfigOrExit<S extends z.ZodType>(
  schema: S,
  env: Env,
  processName: string,
  options: ConfigOptions = {},
): z.output<S> {
  const result = parseConfig(schema, env, options);
  if (result.ok) return result.config;
  for (const problem of result.problems) {
    console.error(`tinbao ${processName}: configuration error: ${problem}`);
  }
  process.exit(1);
}
