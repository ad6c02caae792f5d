import { createLogger, loadConfigOrExit } from '@tinbao/shared';
import { API_FILE_VARIABLES, ApiConfigSchema } from './config';
import { onShutdown } from './platform/shutdown';
import { startApiProcess } from './server';

// Composition root of the api process (HTTP API + BullMQ workers).
const config = loadConfigOrExit(ApiConfigSchema, process.env, 'api', { fileVariables: API_FILE_VARIABLES });
const logger = createLogger({ name: 'api', level: config.LOG_LEVEL });

try {
  const api = await startApiProcess(config, logger);
  onShutdown(logger, [['api', () => api.close()]]);
} catch (error) {
  console.error(`tinbao api: cannot start: ${(error as Error).message}`);
  process.exit(1);
}
