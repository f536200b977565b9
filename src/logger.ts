import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON lines on stdout; LOG_LEVEL=silent turns them off (the tests do). */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'newsgraph' } });
}
