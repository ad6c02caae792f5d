import { createLogger, loadConfigOrExit, logLevelVariable, portVariable } from '@tinbao/shared';
import { z } from 'zod';
import { startTelegramEmulator } from './telegram/server';

// Composition root of the standalone Telegram emulator (npm start runs it when no bot token is set).
const EmulatorConfigSchema = z.object({
  TELEGRAM_EMULATOR_PORT: portVariable(8081),
  TELEGRAM_EMULATOR_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:-]+$/, 'must be a host name or IP address, e.g. 127.0.0.1')
    .default('127.0.0.1'),
  LOG_LEVEL: logLevelVariable,
});

const config = loadConfigOrExit(EmulatorConfigSchema, process.env, 'telegram-emulator');
const logger = createLogger({ name: 'telegram-emulator', level: config.LOG_LEVEL });

try {
  const emulator = await startTelegramEmulator({
    port: config.TELEGRAM_EMULATOR_PORT,
    host: config.TELEGRAM_EMULATOR_HOST,
  });
  logger.info(`Telegram emulator on ${emulator.url} — web chat: ${emulator.url}/playground`);
  if (!/^(127\.|::1$|localhost$)/.test(config.TELEGRAM_EMULATOR_HOST)) {
    // The control API has no authentication: anyone who reaches the port reads every chat.
    logger.warn(
      'the Telegram emulator listens beyond this machine; its control API is open to anyone who can reach it',
    );
  }
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) process.exit(1);
    closing = true;
    logger.info({ signal }, 'telegram emulator shutting down');
    await emulator.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
} catch (error) {
  console.error(`tinbao telegram-emulator: cannot start: ${(error as Error).message}`);
  process.exit(1);
}
