import { GraphQLError } from 'graphql';

/** Rejects part of a request; `field` is the path of the offending input, e.g. `input.quotes[2].speaker`. */
export function badUserInput(field: string, message: string, options: { cause?: unknown } = {}): GraphQLError {
  return new GraphQLError(`${field} ${message}`, { extensions: { code: 'BAD_USER_INPUT', field }, originalError: asError(options.cause) });
}

/** Refuses a write that contradicts what is stored; `field` is the input path that does. */
export function conflict(field: string, message: string): GraphQLError {
  return new GraphQLError(`${field} ${message}`, { extensions: { code: 'CONFLICT', field } });
}

export function notFound(message: string, options: { cause?: unknown } = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'NOT_FOUND' }, originalError: asError(options.cause) });
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

function asError(cause: unknown): Error | undefined {
  return cause instanceof Error ? cause : undefined;
}
