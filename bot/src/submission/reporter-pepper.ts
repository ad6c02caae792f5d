import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';

/** How long one "same reporter" pepper lives: links between a resident's tips reach back no further. */
export type ReporterPeriod = 'month' | 'week';

export interface ReporterPepper {
  current(at: Date): Promise<{ period: string; key: Uint8Array }>;
}

/** Periods follow Vietnam's calendar (UTC+7), so a month turns at local midnight. */
const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;

export function periodOf(at: Date, period: ReporterPeriod): string {
  const local = new Date(at.getTime() + VIETNAM_OFFSET_MS);
  if (period === 'month') return local.toISOString().slice(0, 7);
  // ISO week: the Thursday of this week decides the year.
  const day = (local.getUTCDay() + 6) % 7;
  const thursday = new Date(
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - day + 3),
  );
  const firstThursday = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 4));
  const week =
    1 +
    Math.round(
      ((thursday.getTime() - firstThursday.getTime()) / 86_400_000 -
        3 +
        ((firstThursday.getUTCDay() + 6) % 7)) /
        7,
    );
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

const PepperFileSchema = z.object({
  format: z.literal('tinbao-reporter-pepper/1'),
  period: z.string(),
  key: z.base64().refine((value) => Buffer.from(value, 'base64').length === 32, '32 bytes'),
});

/**
 * The current period's pepper in a 0600 file of the gateway's secrets folder. When the period
 * turns, a new random pepper replaces the file (write, then rename over it) and the old one is
 * gone: nobody, the gateway included, can link a resident's tips across periods afterwards.
 * Gateways that share a secrets folder share the pepper.
 */
export function createReporterPepperFile(path: string, period: ReporterPeriod = 'month'): ReporterPepper {
  let cached: { period: string; key: Uint8Array } | undefined;
  let turning: Promise<{ period: string; key: Uint8Array }> | undefined;

  async function load(wanted: string): Promise<{ period: string; key: Uint8Array }> {
    const stored = await readFile(path, 'utf8').then(
      (text) => PepperFileSchema.safeParse(JSON.parse(text)),
      () => undefined,
    );
    if (stored?.success && stored.data.period === wanted)
      return { period: wanted, key: new Uint8Array(Buffer.from(stored.data.key, 'base64')) };
    const key = new Uint8Array(randomBytes(32));
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const temporary = `${path}.${process.pid}.tmp`;
    const file = {
      format: 'tinbao-reporter-pepper/1',
      period: wanted,
      key: Buffer.from(key).toString('base64'),
    };
    await writeFile(temporary, JSON.stringify(file), { mode: 0o600 });
    await rename(temporary, path);
    return { period: wanted, key };
  }

  return {
    async current(at) {
      const wanted = periodOf(at, period);
      if (cached?.period === wanted) return cached;
      turning ??= load(wanted).finally(() => {
        turning = undefined;
      });
      const loaded = await turning;
      if (loaded.period === wanted) cached = loaded;
      return loaded.period === wanted ? loaded : this.current(at);
    },
  };
}

/** For tests and one-off tools: a pepper per period, in memory only. */
export function createReporterPepperInMemory(period: ReporterPeriod = 'month'): ReporterPepper {
  const keys = new Map<string, Uint8Array>();
  return {
    async current(at) {
      const wanted = periodOf(at, period);
      let key = keys.get(wanted);
      if (!key) {
        key = new Uint8Array(randomBytes(32));
        keys.set(wanted, key);
      }
      return { period: wanted, key };
    },
  };
}
