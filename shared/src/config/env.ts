import type { z } from 'zod';

export type Env = Record<string, string | undefined>;

export type ConfigResult<T> = { ok: true; config: T } | { ok: false; problems: string[] };

/**
 * Parses the environment once, collecting every problem rather than stopping at the
 * first, so an operator fixes a broken deployment in one pass.
 */
export function parseConfig<S extends z.ZodType>(schema: S, env: Env): ConfigResult<z.output<S>> {
  // Empty strings mean "not set": docker-compose and shells produce them for unset values.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return { ok: true, config: result.data };
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.length > 0 ? issue.path.join('.') : 'environment';
    const given = issue.path.length === 1 ? cleaned[String(issue.path[0])] : undefined;
    const detail =
      given === undefined && issue.code === 'invalid_type' ? 'is required but not set' : issue.message;
    return `${name}: ${detail}`;
  });
  return { ok: false, problems };
}

/** For composition roots: on a bad environment, one line per problem and exit code 1, no stack trace. */
export function loadConfigOrExit<S extends z.ZodType>(schema: S, env: Env, processName: string): z.output<S> {
  const result = parseConfig(schema, env);
  if (result.ok) return result.config;
  for (const problem of result.problems) {
    console.error(`tinbao ${processName}: configuration error: ${problem}`);
  }
  process.exit(1);
}
