import type { Logger } from '@tinbao/shared';

/**
 * Runs the closers in order on SIGTERM/SIGINT, once; a second signal or a stuck closer
 * ends the process anyway after `graceMs`.
 */
export function onShutdown(
  logger: Logger,
  closers: Array<[string, () => Promise<unknown>]>,
  graceMs = 15_000,
): void {
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) process.exit(1);
    closing = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, graceMs);
    timer.unref();
    for (const [name, close] of closers) {
      try {
        await close();
      } catch (error) {
        logger.warn({ step: name, err: (error as Error).message }, 'shutdown step failed');
      }
    }
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
