import { badUserInput } from './errors.js';

/** The object types that have global ids; each maps to one table. */
export const NODE_TYPES = ['Article', 'Actor', 'Quote', 'Topic', 'Position'] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export interface GlobalId {
  type: NodeType;
  id: number;
}

/** An opaque, stable global id: base64url of `Type:rowId`, as Relay's convention has it. */
export function toGlobalId(type: NodeType, id: number): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

/** Decodes a global id; null for anything that is not one of ours. */
export function parseGlobalId(globalId: string): GlobalId | null {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(globalId)) return null;
  const match = /^([A-Za-z]+):([1-9][0-9]{0,15})$/.exec(Buffer.from(globalId, 'base64url').toString('utf8'));
  if (!match) return null;
  const type = NODE_TYPES.find((t) => t === match[1]);
  const id = Number(match[2]);
  return type && Number.isSafeInteger(id) ? { type, id } : null;
}

/** The row id inside a global id that must be of `type`; BAD_USER_INPUT naming `field` otherwise. */
export function rowIdOf(type: NodeType, globalId: string, field: string): number {
  const parsed = parseGlobalId(globalId);
  if (!parsed || parsed.type !== type) {
    throw badUserInput(field, `"${globalId}" is not a valid ${type} id`);
  }
  return parsed.id;
}
