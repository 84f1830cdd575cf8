/** How deep input values may nest: deeper ones are refused before anything is sent. */
import { MAX_INPUT_DEPTH } from '../protocol.js';

/** True when `value` nests arrays or objects more than `limit` levels; iterative, so any depth is safe to ask about. */
export function nestedDeeperThan(value: unknown, limit = MAX_INPUT_DEPTH): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const values: object[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const v = values.pop() as object;
    const depth = depths.pop() as number;
    if (depth > limit) return true;
    const children: unknown[] = Array.isArray(v) ? v : Object.values(v);
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (typeof child === 'object' && child !== null) {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/** The problem text for a value nested too deep. */
export const TOO_DEEP = `is nested more than ${MAX_INPUT_DEPTH} levels deep (arrays or objects within each other)`;
