// One pino logger per process; wings take a child with their name.
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  const pretty = process.stdout.isTTY && !process.env.CI;
  return pino({
    level,
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization'],
      censor: '[redacted]',
    },
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' },
          },
        }
      : {}),
  });
}

/** Logs at most `perInterval` lines per key per interval, then a summary of what was suppressed. */
export function rateLimitedLog(logger: Logger, intervalMs = 10_000, perInterval = 5) {
  const windows = new Map<string, { start: number; count: number }>();
  return (key: string, obj: object, msg: string, now = Date.now()) => {
    let w = windows.get(key);
    if (!w || now - w.start >= intervalMs) {
      if (w && w.count > perInterval)
        logger.warn({ key, suppressed: w.count - perInterval }, 'similar messages suppressed');
      w = { start: now, count: 0 };
      windows.set(key, w);
    }
    w.count++;
    if (w.count <= perInterval) logger.warn(obj, msg);
  };
}
