import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Paths pino blanks in every line. Credentials can arrive in headers, in bodies and in our own objects,
 * so both the raw HTTP shapes and our field names are covered; tests prove no secret reaches a line.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-frappe-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-frappe-csrf-token"]',
  '*.authorization',
  '*.cookie',
  '*.sid',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.secret',
  '*.api_secret',
  '*.client_secret',
  '*.password',
  '*.pwd',
  '*.csrfToken',
  'sid',
  'token',
  'secret',
  'password',
];

export interface LoggerSettings {
  level: string;
  format: 'auto' | 'json' | 'pretty';
}

/** The root logger. `destination` lets tests capture every line. */
export function createLogger(settings: LoggerSettings, destination?: NodeJS.WritableStream): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'frappe-mcp-gateway' },
  };
  if (destination) return pino(options, destination);
  const pretty = settings.format === 'pretty' || (settings.format === 'auto' && process.stdout.isTTY);
  if (pretty) {
    return pino({
      ...options,
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' },
      },
    });
  }
  return pino(options);
}
