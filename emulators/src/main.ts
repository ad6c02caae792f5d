import { createLogger, loadConfigOrExit, logLevelVariable, portVariable } from '@tinbao/shared';
import { z } from 'zod';
import type { ListeningEmulator } from './common/http-server';
import type { Channel, EmulatorPeers } from './common/playground';
import { startTelegramEmulator } from './telegram/server';
import { startZaloEmulator } from './zalo/server';

// Composition root of the local emulators (npm start runs it for each channel without a token).
// `tsx emulators/src/main.ts [telegram] [zalo]` starts the ones named, both when none is.
const hostVariable = z
  .string()
  .regex(/^[A-Za-z0-9.:-]+$/, 'must be a host name or IP address, e.g. 127.0.0.1')
  .default('127.0.0.1');

const EmulatorConfigSchema = z.object({
  TELEGRAM_EMULATOR_PORT: portVariable(8081),
  TELEGRAM_EMULATOR_HOST: hostVariable,
  ZALO_EMULATOR_PORT: portVariable(8082),
  ZALO_EMULATOR_HOST: hostVariable,
  /** Host names served besides loopback and the listening host, comma-separated. */
  EMULATOR_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    ),
  LOG_LEVEL: logLevelVariable,
});

const CHANNELS: readonly Channel[] = ['telegram', 'zalo'];
const config = loadConfigOrExit(EmulatorConfigSchema, process.env, 'emulators');
const logger = createLogger({ name: 'emulators', level: config.LOG_LEVEL });

const named = process.argv.slice(2);
const unknown = named.filter((name) => !CHANNELS.includes(name as Channel));
if (unknown.length > 0) {
  console.error(
    `tinbao emulators: unknown channel ${unknown.join(', ')} (choose from ${CHANNELS.join(', ')})`,
  );
  process.exit(1);
}
const channels = named.length > 0 ? CHANNELS.filter((channel) => named.includes(channel)) : CHANNELS;

// Filled in as each emulator listens; the playgrounds read it on every request.
const peers: EmulatorPeers = {};
const running: ListeningEmulator[] = [];
const NAMES: Record<Channel, string> = { telegram: 'Telegram', zalo: 'Zalo' };

try {
  for (const channel of channels) {
    const host = channel === 'telegram' ? config.TELEGRAM_EMULATOR_HOST : config.ZALO_EMULATOR_HOST;
    const options = {
      port: channel === 'telegram' ? config.TELEGRAM_EMULATOR_PORT : config.ZALO_EMULATOR_PORT,
      host,
      allowedHosts: config.EMULATOR_ALLOWED_HOSTS,
      peers,
    };
    const emulator =
      channel === 'telegram' ? await startTelegramEmulator(options) : await startZaloEmulator(options);
    running.push(emulator);
    peers[channel] = emulator.url;
    logger.info(`${NAMES[channel]} emulator on ${emulator.url} — web chat: ${emulator.url}/playground`);
    if (!/^(127\.|::1$|localhost$)/.test(host)) {
      // The control API has no authentication: anyone who reaches the port reads every chat.
      logger.warn(
        `the ${NAMES[channel]} emulator listens beyond this machine; its control API is open to anyone who can reach it`,
      );
    }
  }
  logger.info(`emulators ready: ${channels.join(', ')}`);
} catch (error) {
  console.error(`tinbao emulators: cannot start: ${(error as Error).message}`);
  await Promise.all(running.map((emulator) => emulator.close()));
  process.exit(1);
}

let closing = false;
const shutdown = async (signal: string) => {
  if (closing) process.exit(1);
  closing = true;
  logger.info({ signal }, 'emulators shutting down');
  await Promise.all(running.map((emulator) => emulator.close()));
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
