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
  // JSON to stdout, buffered: one write per ~4 KiB instead of one per line keeps logging off the
  // hot path; a timer flushes quiet periods within a second, and exit flushes the rest.
  const stream = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => stream.flush(), 1000).unref();
  process.once('exit', () => stream.flushSync());
  return pino(options, stream);
}
