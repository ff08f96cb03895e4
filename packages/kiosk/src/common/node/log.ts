import pino from 'pino';

/**
 * The kiosk's log: JSON lines on stderr, level from KIOSK_LOG_LEVEL (default `warn`, so command-line
 * output stays clean; the kiosk service runs at `info`). Never log a PIN, a face image, a descriptor,
 * a card photo, a name or a My Number: log codes, counts and timings.
 */
export const log = pino(
  { level: process.env.KIOSK_LOG_LEVEL ?? 'warn', base: { app: 'kiosk' } },
  pino.destination(2),
);
