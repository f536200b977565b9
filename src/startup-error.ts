/**
 * A mistake in how the server was started (a setting, the database file, the port) rather than a
 * bug: the entry points print its message as one line, without a stack, and exit 1. The message
 * says what is wrong and what to do about it.
 */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** Prints a StartupError as one line on stderr and exits 1; anything else is a bug, rethrown with its stack. */
export function exitOnStartupError(program: string, error: unknown): never {
  if (!(error instanceof StartupError)) throw error;
  console.error(`${program}: ${error.message.replace(/\s*\n\s*/g, ' ')}`);
  process.exit(1);
}
