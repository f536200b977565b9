import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import type { ReactNode } from 'react';

/** An API error in words: each GraphQL error's message (with the field it names), or the HTTP failure. */
export function ErrorMessage({ error }: { error: unknown }) {
  let lines: string[];
  if (CombinedGraphQLErrors.is(error)) lines = error.errors.map((e) => e.message);
  else if (ServerError.is(error)) lines = [`The server answered ${error.statusCode}: ${error.message}`];
  else if (error instanceof Error) lines = [error.message === 'Failed to fetch' ? 'The server cannot be reached.' : error.message];
  else lines = [String(error)];
  return (
    <div role="alert" className="error">
      <strong>Something went wrong.</strong>
      <ul>
        {lines.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ul>
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="loading">
      Loading {what}…
    </p>
  );
}

export function PageTitle({ children }: { children: ReactNode }) {
  return <h1 tabIndex={-1}>{children}</h1>;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return 'undated';
  return new Date(iso).toLocaleDateString('en-GB', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
}

export const STANCES = ['SUPPORT', 'MIXED', 'NEUTRAL', 'OPPOSE'] as const;

export const STANCE_LABEL: Record<(typeof STANCES)[number], string> = {
  SUPPORT: 'Support',
  MIXED: 'Mixed',
  NEUTRAL: 'Neutral',
  OPPOSE: 'Oppose',
};
