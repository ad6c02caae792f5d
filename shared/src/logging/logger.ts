import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/**
 * Logs carry ids and counts only. The redaction list is a safety net for mistakes, not
 * the policy: code must never pass tip text, names, phone numbers or platform ids.
 */
const REDACT = [
  'description',
  '*.description',
  'text',
  '*.text',
  'chatId',
  '*.chatId',
  'chat',
  '*.chat',
  'from',
  '*.from',
  'phone',
  '*.phone',
  'envelope',
  '*.envelope',
  'token',
  '*.token',
  'password',
  '*.password',
  'req.headers.cookie',
  'req.headers.authorization',
];

export function createLogger(options: {
  name: string;
  level: string;
  destination?: DestinationStream;
}): Logger {
  return pino(
    {
      name: options.name,
      level: options.level,
      redact: { paths: REDACT, censor: '[redacted]' },
      base: { service: options.name },
    },
    options.destination,
  );
}
