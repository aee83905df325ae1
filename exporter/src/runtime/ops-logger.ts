import pino, { type Logger } from 'pino';

/** The exporter's operational log: JSON lines on stderr, so stdout stays the prediction log. */
export function createOpsLogger(level = process.env['LOG_LEVEL'] ?? 'info'): Logger {
  return pino(
    { level, base: { component: 'mlwatch' }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ dest: 2, sync: true }),
  );
}
