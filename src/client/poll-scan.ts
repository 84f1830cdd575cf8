/**
 * Reads a poll answer without building one object per item, or even the body's text: one pass
 * over its bytes finds the top-level fields and, per element of `batchExecutionResults`, its
 * byte range and item code. An element becomes an object only when someone asks for that index.
 * Anything this pass does not expect gives `undefined`, and the caller parses the whole body.
 */
import { ITEM_CODE } from '../protocol.js';
import { decodeExecutionState, decodeItemState, itemCodeOf, type DecodedPoll } from './decode.js';
import {
  bytesAre, COMMA, COLON, keyIs, LBRACE, LBRACKET, QUOTE, RBRACE, RBRACKET, Scan, Unexpected, unexpected,
} from './json-scan.js';
import { LazyResults } from './result-source.js';
import { decodeExtension, extensionKeyOf } from './poll-extension.js';

const N = 110;
const EXACT_NAMES = Object.keys(ITEM_CODE);
const EXACT_CODES = Object.values(ITEM_CODE);

/** The ITEM_CODE of the item state spelled in `t[s, e)`, or -1; the exact spellings without allocating. */
function stateCode(t: Buffer, s: number, e: number): number {
  for (let k = 0; k < EXACT_NAMES.length; k++) {
    if (e - s === EXACT_NAMES[k].length && bytesAre(t, s, EXACT_NAMES[k])) return EXACT_CODES[k];
  }
  const state = decodeItemState(t.toString('utf8', s, e));
  return state === undefined ? -1 : ITEM_CODE[state];
}

/** A character that would continue a literal (so `falsey` is not `false`). */
function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122) || c === 46 || c === 43 || c === 45;
}

/** The scan of a poll body: the elements of `batchExecutionResults` and their item codes. */
class PollScan extends Scan {
  /**
   * Scans one element object at `p` into `out`; returns its end. One tight loop over its text:
   * only brackets are matched below its own level (a bad token inside shows when the index is
   * read), and at its own level the keys that decide the item code are read in place.
   */
  element(p: number, out: LazyResults): number {
    const t = this.t;
    const n = this.n;
    const stack = this.stack;
    let depth = 1;
    stack[1] = LBRACE;
    let keyNext = true;
    let state = -1;
    let failed = false;
    let seen = 0;
    let odd = false;
    let i = p + 1;
    for (;;) {
      if (i >= n) throw unexpected;
      const c = t[i];
      if (c === QUOTE) {
        const e = this.stringEnd(i);
        if (depth !== 1 || !keyNext) {
          i = e;
          continue;
        }
        keyNext = false;
        const which = this.whichKey(i + 1, e - 1);
        if (which === 0) {
          i = e;
          continue;
        }
        if (seen & which) odd = true; // the same key twice: which one wins is JSON.parse's business
        seen |= which;
        const vs = this.ws(this.expect(this.ws(e), COLON));
        const v = t[vs];
        if (v !== QUOTE) {
          if (which === 2 && bytesAre(t, vs, 'false') && !isWordChar(t[vs + 5])) failed = true;
          i = vs;
          continue;
        }
        const ve = this.stringEnd(vs);
        if (which === 4) {
          if (ve - vs > 2) failed = true; // any escape decodes to at least one character
        } else if (this.backslashFrom(vs + 1) < ve - 1) {
          odd = true;
        } else if (which === 1) {
          const known = stateCode(t, vs + 1, ve - 1);
          if (known >= 0) state = known;
        } else if (ve - vs === 7 && (bytesAre(t, vs, '"false"') || bytesAre(t, vs, '"False"'))) {
          failed = true;
        }
        i = ve;
        continue;
      }
      if (c === LBRACE || c === LBRACKET) {
        stack[++depth] = c;
      } else if (c === RBRACE || c === RBRACKET) {
        if (stack[depth] !== (c === RBRACE ? LBRACE : LBRACKET)) throw unexpected;
        if (--depth === 0) break;
      } else if (c === COMMA && depth === 1) {
        keyNext = true;
      }
      i++;
    }
    const end = i + 1;
    if (out.statesReported === undefined) out.sampleHasState((seen & 1) !== 0);
    let code: number;
    if (odd) {
      let value: unknown;
      try {
        value = JSON.parse(this.text(p, end));
      } catch {
        value = undefined;
      }
      // Unreadable: counted as failed, and reading it says why (see LazyResults.raw).
      code = value === undefined ? ITEM_CODE.Failed : itemCodeOf(value);
    } else code = state >= 0 ? state : failed ? ITEM_CODE.Failed : ITEM_CODE.Complete;
    out.push(p, end, LazyResults.OBJECT, code);
    return end;
  }

  /** 1 for `state`, 2 for `success`, 4 for `errorMessage` (any case, escapes decoded), else 0. */
  whichKey(s: number, e: number): number {
    const t = this.t;
    if (this.backslashFrom(s) < e) {
      const key = this.keyText(s - 1, e + 1);
      return key === 'state' ? 1 : key === 'success' ? 2 : key === 'errormessage' ? 4 : 0;
    }
    const len = e - s;
    if (len === 5) return keyIs(t, s, e, 'state') ? 1 : 0;
    if (len === 7) return keyIs(t, s, e, 'success') ? 2 : 0;
    if (len === 12) return keyIs(t, s, e, 'errormessage') ? 4 : 0;
    return 0;
  }

  /** Scans the results array at `p` into a new LazyResults; returns its end. */
  results(p: number, out: LazyResults): number {
    const t = this.t;
    p = this.ws(this.expect(p, LBRACKET));
    if (t[p] === RBRACKET) return p + 1;
    for (;;) {
      const c = t[p];
      let e: number;
      if (c === LBRACE) e = this.element(p, out);
      else if (c === N && bytesAre(t, p, 'null')) {
        e = this.valueEnd(p);
        if (e - p !== 4) throw unexpected;
        out.push(p, e, LazyResults.NULL, -1);
      } else {
        e = this.valueEnd(p);
        out.push(p, e, LazyResults.OTHER, -1);
      }
      p = this.ws(e);
      if (t[p] === RBRACKET) return p + 1;
      p = this.ws(this.expect(p, COMMA));
    }
  }
}

/** A poll answer read by `scanPoll`: its results decode one index at a time. */
export type ScannedPoll = DecodedPoll & { lazy: LazyResults };

/** How many positional results a poll carried, without building them. */
export function resultCount(poll: DecodedPoll): number {
  return poll.lazy ? poll.lazy.length : poll.results.length;
}

/**
 * Reads a poll body (its UTF-8 bytes, which the results then keep instead of a copy as text), or
 * returns undefined when anything about it is unexpected (then parse it whole).
 */
export function scanPoll(body: Buffer | string): ScannedPoll | undefined {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const scan = new PollScan(bytes);
  const out = new LazyResults(bytes);
  const values: Record<string, unknown> = {};
  const ext: Record<string, unknown> = {};
  try {
    const start = scan.ws(0);
    const end = scan.members(start, (ks, ke, vs) => {
      const key = scan.keyText(ks, ke);
      if (key === 'batchexecutionresults' || key === 'state' || key === 'totalitemcount' || key === 'completeditemcount') {
        // Twice in any casing: which one counts is for the full parse to decide.
        if (key in values) throw unexpected;
        if (key === 'batchexecutionresults') {
          values[key] = true;
          if (bytes[vs] === LBRACKET) return scan.results(vs, out);
        } else {
          const ve = scan.valueEnd(vs);
          values[key] = scan.scalar(vs, ve);
          return ve;
        }
      }
      const extKey = extensionKeyOf(key);
      if (extKey !== undefined) {
        if (extKey in ext) throw unexpected;
        const ve = scan.valueEnd(vs);
        // Small by design: a delta's changed items, or one scalar.
        ext[extKey] = scan.scalar(vs, ve);
        return ve;
      }
      return scan.valueEnd(vs);
    });
    if (scan.ws(end) !== bytes.length) throw unexpected;
  } catch (err) {
    if (err instanceof Unexpected || err instanceof SyntaxError) return undefined;
    throw err;
  }
  const rawState = values.state;
  const poll = makePoll(out.seal(), rawState, values.totalitemcount, values.completeditemcount);
  poll.ext = decodeExtension((k) => ext[k]);
  return poll;
}

function count(value: unknown): number {
  const n = Math.floor(typeof value === 'number' ? value : Number(value));
  return Number.isFinite(n) && n > 0 ? n : 0;
}

function makePoll(lazy: LazyResults, state: unknown, total: unknown, completed: unknown): ScannedPoll {
  let array: readonly unknown[] | undefined;
  return {
    state: decodeExecutionState(state),
    rawState: typeof state === 'string' ? state : state == null ? '' : String(state),
    totalItemCount: count(total),
    completedItemCount: count(completed),
    lazy,
    // Built only for a caller that asks for the plain array (nothing in mlbatch itself does).
    get results() {
      array ??= lazy.toArray();
      return array;
    },
  };
}
