import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** JSON lines on stdout (or `destination`); LOG_LEVEL=silent turns them off. */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'newsgraph' } };
  return destination ? pino(options, destination) : pino(options);
}
