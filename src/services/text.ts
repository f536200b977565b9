import { badUserInput } from '../errors.js';

// C0 and C1 control characters other than tab, line feed and carriage return, which real article
// text contains; anything else is corruption or an attack on whoever renders the text later.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Rejects text that cannot be stored and returned faithfully. */
function assertWellFormed(field: string, value: string): void {
  if (LONE_SURROGATE.test(value)) throw badUserInput(field, 'contains an invalid UTF-16 surrogate');
  if (CONTROL_CHARACTER.test(value)) throw badUserInput(field, 'contains a control character');
}

/** A required single-line value: trimmed, not empty. */
export function requiredText(field: string, value: string): string {
  assertWellFormed(field, value);
  const trimmed = value.replace(/\s+/g, ' ').trim();
  if (trimmed === '') throw badUserInput(field, 'must not be empty');
  return trimmed;
}

/** An optional single-line value: trimmed; empty counts as absent. */
export function optionalText(field: string, value: string | null | undefined): string | null {
  if (value == null) return null;
  assertWellFormed(field, value);
  const trimmed = value.replace(/\s+/g, ' ').trim();
  return trimmed === '' ? null : trimmed;
}

/** Multi-line text kept exactly as given (quote offsets index into it), but not blank. */
export function requiredBody(field: string, value: string): string {
  assertWellFormed(field, value);
  if (value.trim() === '') throw badUserInput(field, 'must not be empty');
  return value;
}
