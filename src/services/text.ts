import { badUserInput } from '../errors.js';
import { INPUT_LIMITS, type InputLimit } from '../input-limits.js';

// C0 and C1 control characters other than tab, line feed and carriage return, which real article
// text contains; anything else is corruption or an attack on whoever renders the text later.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Rejects text that cannot be stored and returned faithfully. */
function assertWellFormed(field: string, value: string): void {
  assertNoLoneSurrogate(field, value);
  if (CONTROL_CHARACTER.test(value)) throw badUserInput(field, 'contains a control character');
}

function assertNoLoneSurrogate(field: string, value: string): void {
  if (LONE_SURROGATE.test(value)) throw badUserInput(field, 'contains an invalid UTF-16 surrogate');
}

/** Refuses a value longer than its limit (counted before whitespace is collapsed, so the check is one comparison). */
export function assertLength(field: string, value: string, limit: InputLimit): void {
  const max = INPUT_LIMITS[limit];
  if (value.length > max) throw badUserInput(field, `is ${value.length} characters long; the limit is ${max}`);
}

/** Refuses a list longer than its limit. */
export function assertCount(field: string, items: readonly unknown[] | null | undefined, limit: InputLimit, what: string): void {
  const max = INPUT_LIMITS[limit];
  if (items && items.length > max) throw badUserInput(field, `has ${items.length} ${what}; the limit is ${max}`);
}

/** A required single-line value: trimmed, not empty, at most `limit` characters. */
export function requiredText(field: string, value: string, limit: InputLimit): string {
  assertLength(field, value, limit);
  assertWellFormed(field, value);
  const trimmed = value.replace(/\s+/g, ' ').trim();
  if (trimmed === '') throw badUserInput(field, 'must not be empty');
  return trimmed;
}

/** An optional single-line value: trimmed; empty counts as absent. */
export function optionalText(field: string, value: string | null | undefined, limit: InputLimit): string | null {
  if (value == null) return null;
  assertLength(field, value, limit);
  assertWellFormed(field, value);
  const trimmed = value.replace(/\s+/g, ' ').trim();
  return trimmed === '' ? null : trimmed;
}

/** Multi-line text kept exactly as given (quote offsets index into it), but not blank. */
export function requiredBody(field: string, value: string): string {
  assertLength(field, value, 'bodyLength');
  assertWellFormed(field, value);
  if (value.trim() === '') throw badUserInput(field, 'must not be empty');
  return value;
}

/**
 * A body to extract from (nothing is stored): like requiredBody, but a stray control character,
 * the usual trace of a bad encoding, does not refuse it; the extractor reads it as U+FFFD and says so.
 */
export function extractableBody(field: string, value: string): string {
  assertLength(field, value, 'bodyLength');
  assertNoLoneSurrogate(field, value);
  if (value.trim() === '') throw badUserInput(field, 'must not be empty');
  return value;
}

/** A title to extract from: like optionalText, but control characters are left for the extractor to replace. */
export function extractableTitle(field: string, value: string | null | undefined): string | null {
  if (value == null) return null;
  assertLength(field, value, 'titleLength');
  assertNoLoneSurrogate(field, value);
  const trimmed = value.replace(/\s+/g, ' ').trim();
  return trimmed === '' ? null : trimmed;
}
