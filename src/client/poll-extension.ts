/** Reads the embedded server's poll extension (cursor, parallelCount, running count, delta items), trusting none of it. */
import type { PollExtension } from '../protocol.js';

/** The extension of one answer, checked: wrong types read as absent. */
export interface DecodedExtension {
  parallelCount?: number;
  runningItemCount?: number;
  cursor?: string;
  delta: boolean;
  /** Delta answers: each changed item with the index it names (items without a usable index are dropped and counted). */
  changed: { index: number; raw: Record<string, unknown> }[];
  /** Changed items that named no usable index: a delta with any is not trusted. */
  unreadable: number;
  cursorRefused?: string;
}

/** Longest cursor a client keeps (a server's cursor is a short token). */
const MAX_CURSOR = 256;

const KEYS: Record<string, keyof PollExtension> = {
  parallelcount: 'parallelCount', runningitemcount: 'runningItemCount', cursor: 'cursor',
  delta: 'delta', changeditems: 'changedItems', cursorrefused: 'cursorRefused',
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function whole(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** Decodes the extension members read through `get` (by their wire names); undefined when there are none. */
export function decodeExtension(get: (key: keyof PollExtension) => unknown): DecodedExtension | undefined {
  const parallelCount = whole(get('parallelCount'));
  const runningItemCount = whole(get('runningItemCount'));
  const rawCursor = get('cursor');
  const cursor = typeof rawCursor === 'string' && rawCursor.length > 0 && rawCursor.length <= MAX_CURSOR ? rawCursor : undefined;
  const delta = get('delta') === true;
  const refused = get('cursorRefused');
  const items = get('changedItems');
  if (parallelCount === undefined && runningItemCount === undefined && cursor === undefined && !delta && refused === undefined) return undefined;
  const changed: DecodedExtension['changed'] = [];
  let unreadable = 0;
  if (Array.isArray(items)) {
    for (const item of items) {
      const index = isObject(item) ? whole(item.index ?? item.Index) : undefined;
      if (index === undefined || !isObject(item)) unreadable++;
      else changed.push({ index, raw: item });
    }
  } else if (delta) unreadable++;
  return {
    parallelCount: parallelCount !== undefined && parallelCount > 0 ? parallelCount : undefined,
    runningItemCount, cursor, delta, changed, unreadable,
    cursorRefused: typeof refused === 'string' ? refused.slice(0, 64) : undefined,
  };
}

/** The extension member names by their lower-case spelling (for a reader that matches keys in any case). */
export function extensionKeyOf(lowerKey: string): keyof PollExtension | undefined {
  return KEYS[lowerKey];
}
