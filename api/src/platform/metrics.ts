import { Counter, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics, one registry per process (made in server.ts and passed
 * down, never prom-client's global one), so each test reads its own counts.
 */
export interface Metrics {
  registry: Registry;
  /** Intake jobs refused for good (forged or broken records), by reason. */
  intakeRefused: Counter<'reason'>;
  /** Tips the intake worker stored (a repeated delivery of a stored tip is not counted again). */
  intakeStored: Counter;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  return {
    registry,
    intakeRefused: new Counter({
      name: 'tinbao_intake_refused_total',
      help: 'Intake records refused without retry (clear fields that disagree with the sealed tip, an envelope of another tip, a time outside the window, an unreadable record), by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    intakeStored: new Counter({
      name: 'tinbao_intake_stored_total',
      help: 'Tips stored by the intake worker',
      registers: [registry],
    }),
  };
}

/** The current value of a counter (for tests and the CLI): 0 when it has not been counted yet. */
export async function counterValue(
  counter: Counter<string>,
  labels: Partial<Record<string, string>> = {},
): Promise<number> {
  const { values } = await counter.get();
  const wanted = Object.entries(labels);
  return values
    .filter((value) => wanted.every(([name, label]) => value.labels[name] === label))
    .reduce((sum, value) => sum + value.value, 0);
}
