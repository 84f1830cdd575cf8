/**
 * Compares two executions record by record (matched by index): outputs by name, numbers within
 * an absolute tolerance, everything else exactly. Results are read one index at a time from each
 * poll (a scanned body decodes one element on demand), so two large executions are never held
 * as two arrays of objects; what is kept is one verdict byte per index and, per output, its few
 * largest differences.
 */
import { ITEM_CODE, ITEM_STATES, type ItemState } from '../protocol.js';
import { decodeResult, isObject, itemCodeOf, type DecodedPoll } from '../client/decode.js';
import { MlBatchUsageError } from '../client/errors.js';
import { LBRACE, Scan } from '../client/json-scan.js';

/** How one index of the two executions compares (codes of `DiffSummary.verdicts`). */
export const VERDICT = {
  equal: 0,
  different: 1,
  failedInA: 2,
  failedInB: 3,
  failedInBoth: 4,
  /** Not finished (pending, running, canceled, or no result yet) on one side or both. */
  unfinished: 5,
  onlyInA: 6,
  onlyInB: 7,
} as const;

/** A verdict's name. */
export type Verdict = keyof typeof VERDICT;
/** Verdict names by code. */
export const VERDICT_NAMES = Object.keys(VERDICT) as Verdict[];

/** One execution as the diff reads it: its size, and per index its item code and raw result. */
export interface DiffSide {
  size: number;
  /** ITEM_CODE of index `i`, or -1 when there is no result for it. */
  code(i: number): number;
  raw(i: number): unknown;
  /** The JSON text of index `i`'s result, when it was kept as bytes (a scanned poll). */
  bytes?(i: number): Buffer | undefined;
}

/** A poll (scanned or parsed) as a DiffSide; its size is the server's `totalItemCount`. */
export function sideOfPoll(poll: DecodedPoll): DiffSide {
  const size = Math.max(poll.totalItemCount, poll.lazy ? poll.lazy.length : poll.results.length);
  if (poll.lazy) {
    const lazy = poll.lazy;
    return { size, code: (i) => lazy.code(i), raw: (i) => lazy.raw(i), bytes: (i) => lazy.bytesOf(i) };
  }
  const results = poll.results;
  return { size, code: (i) => itemCodeOf(results[i]), raw: (i) => results[i] };
}

/** How two values compare: equal or not, and the largest numeric difference (null when not numbers). */
export interface ValueComparison {
  equal: boolean;
  delta: number | null;
}

const SPECIAL: Record<string, number> = {
  nan: NaN, inf: Infinity, '+inf': Infinity, '-inf': -Infinity, infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity,
};

/** A number, or the text a server writes for one JSON cannot hold (`"NaN"`, `"Infinity"`, `"-Inf"`). */
function numeric(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  return typeof v === 'string' && v.length <= 9 ? SPECIAL[v.toLowerCase()] : undefined;
}

const MAX_DEPTH = 64;

/**
 * Compares two output values. Numbers (and NaN/Infinity spelled as text) are equal when
 * |a − b| ≤ tolerance, or when both are NaN or the same infinity; strings, booleans and null
 * exactly; arrays element by element, objects key by key. A type change is a difference.
 */
export function compareValues(a: unknown, b: unknown, tolerance: number, depth = 0): ValueComparison {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) {
    if (na === nb || (Number.isNaN(na) && Number.isNaN(nb))) return { equal: true, delta: 0 };
    const d = Math.abs(na - nb);
    const delta = Number.isNaN(d) ? Infinity : d;
    return { equal: delta <= tolerance, delta };
  }
  if (a === b) return { equal: true, delta: 0 };
  if (depth >= MAX_DEPTH) return { equal: JSON.stringify(a) === JSON.stringify(b), delta: null };
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return { equal: false, delta: null };
    return combine(a.map((x, i) => compareValues(x, b[i], tolerance, depth + 1)));
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    const parts: ValueComparison[] = [];
    for (const k of keys) {
      if (!(k in a) || !(k in b)) return { equal: false, delta: null };
      parts.push(compareValues(a[k], b[k], tolerance, depth + 1));
    }
    return combine(parts);
  }
  return { equal: false, delta: null };
}

/** Equal when every part is; the delta of the differing parts (null when one of them is not numeric). */
function combine(parts: ValueComparison[]): ValueComparison {
  let equal = true;
  let delta: number | null = 0;
  for (const p of parts) {
    if (p.equal) continue;
    equal = false;
    delta = p.delta === null || delta === null ? null : Math.max(delta, p.delta);
  }
  return { equal, delta: equal ? 0 : delta };
}

/** One output of one index, on both sides. */
export interface OutputComparison {
  name: string;
  inA: boolean;
  inB: boolean;
  a: unknown;
  b: unknown;
  equal: boolean;
  /** The numeric difference; null when not numbers (or missing on a side). */
  delta: number | null;
}

/** Compares outputs by name: an output on one side only is a difference. */
export function compareOutputs(a: Record<string, unknown>, b: Record<string, unknown>, tolerance: number): OutputComparison[] {
  const out: OutputComparison[] = [];
  for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const inA = Object.hasOwn(a, name);
    const inB = Object.hasOwn(b, name);
    const c = inA && inB ? compareValues(a[name], b[name], tolerance) : { equal: false, delta: null };
    out.push({ name, inA, inB, a: a[name], b: b[name], ...c });
  }
  return out;
}

/** What one side says of an index, decoded. */
export interface SideResult {
  state: ItemState | 'none';
  error: string;
  consoleOutput: string;
  outputs: Record<string, unknown>;
}

/** Both sides of one index, and how their outputs compare. */
export interface IndexComparison {
  index: number;
  verdict: Verdict;
  a: SideResult;
  b: SideResult;
  outputs: OutputComparison[];
}

const NONE: SideResult = { state: 'none', error: '', consoleOutput: '', outputs: {} };

function sideResult(side: DiffSide, i: number): SideResult {
  if (i >= side.size) return NONE;
  const code = side.code(i);
  if (code < 0) return NONE;
  const r = decodeResult(side.raw(i));
  return { state: ITEM_STATES[code] ?? 'Pending', error: r.errorMessage, consoleOutput: r.consoleOutput, outputs: r.outputParameters };
}

function verdictOf(i: number, a: DiffSide, b: DiffSide, ca: number, cb: number, outputsEqual: () => boolean): number {
  if (i >= a.size) return VERDICT.onlyInB;
  if (i >= b.size) return VERDICT.onlyInA;
  const doneA = ca === ITEM_CODE.Complete || ca === ITEM_CODE.Failed;
  const doneB = cb === ITEM_CODE.Complete || cb === ITEM_CODE.Failed;
  if (!doneA || !doneB) return VERDICT.unfinished;
  if (ca === ITEM_CODE.Failed) return cb === ITEM_CODE.Failed ? VERDICT.failedInBoth : VERDICT.failedInA;
  if (cb === ITEM_CODE.Failed) return VERDICT.failedInB;
  return outputsEqual() ? VERDICT.equal : VERDICT.different;
}

const OUTPUTS_KEY = Buffer.from('"outputParameters":');

/**
 * Where the value of a result's `outputParameters` is in its JSON text, found with native
 * searches and no parse; undefined when it cannot be told for certain (then the result is
 * parsed). The key's text cannot occur inside a JSON string (its quotes would be escaped), so
 * when the first `{` after the element's own directly follows it, that object is the value of
 * the element's own key; a second occurrence (which JSON.parse would take instead) gives
 * undefined. Outputs that are not an object (or a key spelled otherwise) are parsed.
 */
export function outputsRange(t: Buffer): [number, number] | undefined {
  if (t[0] !== LBRACE) return undefined;
  // The first `{` after the element's own must open the outputs, right after their key.
  const vs = t.indexOf(LBRACE, 1);
  const k = vs - OUTPUTS_KEY.length;
  if (k < 1 || !OUTPUTS_KEY.equals(t.subarray(k, vs))) return undefined;
  try {
    const ve = new Scan(t).valueEnd(vs);
    return t.indexOf(OUTPUTS_KEY, ve) < 0 ? [vs, ve] : undefined;
  } catch {
    return undefined;
  }
}

/** True when both results' outputs are the same JSON text: equal whatever the tolerance, without parsing either. */
function sameOutputText(a: DiffSide, b: DiffSide, i: number): boolean {
  const ta = a.bytes?.(i);
  const tb = b.bytes?.(i);
  if (!ta || !tb) return false;
  const ra = outputsRange(ta);
  if (!ra) return false;
  const rb = outputsRange(tb);
  return rb !== undefined && ra[1] - ra[0] === rb[1] - rb[0] && ta.subarray(ra[0], ra[1]).equals(tb.subarray(rb[0], rb[1]));
}

/** Both sides of index `i` side by side (for a screen or a report of one index). */
export function compareIndex(a: DiffSide, b: DiffSide, i: number, tolerance: number): IndexComparison {
  const ra = sideResult(a, i);
  const rb = sideResult(b, i);
  const outputs = compareOutputs(ra.outputs, rb.outputs, tolerance);
  const code = verdictOf(i, a, b, a.code(i), b.code(i), () => outputs.every((o) => o.equal));
  return { index: i, verdict: VERDICT_NAMES[code], a: ra, b: rb, outputs };
}

/** One of an output's largest differences; long values are cut, as text. */
export interface LargestDifference {
  index: number;
  a: unknown;
  b: unknown;
  /** |a − b|, or null when the values are not both numbers (a type change, text, a missing output). */
  delta: number | null;
}

/** Per output: how often it differed, and its largest differences (non-numeric ones first). */
export interface OutputSummary {
  name: string;
  different: number;
  missingInA: number;
  missingInB: number;
  /** The largest numeric difference seen (null when none was numeric). */
  maxDelta: number | null;
  largest: LargestDifference[];
}

/** Counts per kind of index, as the summary gives them. */
export interface DiffCounts {
  equal: number;
  different: number;
  failedInOne: number;
  failedInA: number;
  failedInB: number;
  failedInBoth: number;
  unfinished: number;
  onlyInOne: number;
}

/** The comparison of two executions. */
export interface DiffSummary {
  sizeA: number;
  sizeB: number;
  /** Indices present on both sides (the smaller size). */
  compared: number;
  tolerance: number;
  counts: DiffCounts;
  /** True when nothing but failures on both sides keeps them from being the same. */
  equal: boolean;
  outputs: OutputSummary[];
  /** Outputs beyond the first MAX_OUTPUTS names seen: compared, but left out of `outputs`. */
  outputsLeftOut: number;
  /** One VERDICT code per index, up to the larger size. */
  verdicts: Uint8Array;
}

/** Options of `diffExecutions`. */
export interface DiffOptions {
  /** Largest |a − b| two numbers may differ by and still be equal (default 1e-6). */
  tolerance?: number;
  /** Compare executions of different sizes: the common prefix, the rest counted as only in one. */
  allowSizeMismatch?: boolean;
  /** Largest differences kept per output (default 5). */
  top?: number;
  /** Output names given first, in this order (the service's declared outputs). */
  outputOrder?: readonly string[];
}

/** Two executions of different sizes, compared without `allowSizeMismatch`. */
export class DiffSizeError extends MlBatchUsageError {
  constructor(
    readonly sizeA: number,
    readonly sizeB: number,
  ) {
    const common = Math.min(sizeA, sizeB);
    super(
      `the executions differ in size: the first has ${sizeA} records, the second ${sizeB}. Records are matched by index; ` +
        `--allow-size-mismatch compares the first ${common} and counts the other ${Math.abs(sizeA - sizeB)} as only in one`,
    );
  }
}

/** Output names kept in a summary: a server sending a new name per record cannot grow it without bound. */
export const MAX_OUTPUTS = 200;
/** Longest value (as JSON text) a summary keeps whole. */
export const MAX_VALUE_CHARS = 200;

/** The value as is when short, else its JSON text cut to MAX_VALUE_CHARS with `…`. */
export function boundValue(v: unknown): unknown {
  if (v === undefined || v === null || typeof v === 'number' || typeof v === 'boolean') return v ?? null;
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  if (text.length <= MAX_VALUE_CHARS) return v;
  return `${text.slice(0, MAX_VALUE_CHARS)}…`;
}

const rank = (d: number | null) => (d === null ? Infinity : d);

class OutputStats {
  readonly s: OutputSummary;
  constructor(
    name: string,
    private readonly top: number,
  ) {
    this.s = { name, different: 0, missingInA: 0, missingInB: 0, maxDelta: null, largest: [] };
  }

  add(index: number, o: OutputComparison): void {
    const s = this.s;
    s.different++;
    if (!o.inA) s.missingInA++;
    if (!o.inB) s.missingInB++;
    if (o.delta !== null) s.maxDelta = Math.max(s.maxDelta ?? 0, o.delta);
    const r = rank(o.delta);
    const list = s.largest;
    // Ties keep the lower index: it came first.
    if (list.length >= this.top && rank(list[list.length - 1].delta) >= r) return;
    let at = list.length;
    while (at > 0 && rank(list[at - 1].delta) < r) at--;
    list.splice(at, 0, { index, a: boundValue(o.inA ? o.a : undefined), b: boundValue(o.inB ? o.b : undefined), delta: o.delta });
    if (list.length > this.top) list.pop();
  }
}

/**
 * Compares two executions index by index. Refuses (DiffSizeError) executions of different sizes
 * unless `allowSizeMismatch`. Each index is decoded from both sides, compared and dropped.
 */
export function diffExecutions(a: DiffSide, b: DiffSide, options: DiffOptions = {}): DiffSummary {
  const tolerance = options.tolerance ?? 1e-6;
  const top = options.top ?? 5;
  if (a.size !== b.size && !options.allowSizeMismatch) throw new DiffSizeError(a.size, b.size);
  const compared = Math.min(a.size, b.size);
  const verdicts = new Uint8Array(Math.max(a.size, b.size));
  const stats = new Map<string, OutputStats>();
  for (const name of options.outputOrder ?? []) if (stats.size < MAX_OUTPUTS) stats.set(name, new OutputStats(name, top));
  const leftOut = new Set<string>();
  const tally = new Array<number>(VERDICT_NAMES.length).fill(0);
  for (let i = 0; i < verdicts.length; i++) {
    const ca = i < a.size ? a.code(i) : -1;
    const cb = i < b.size ? b.code(i) : -1;
    const code = verdictOf(i, a, b, ca, cb, () => {
      if (sameOutputText(a, b, i)) return true;
      const outputs = compareOutputs(decodeResult(a.raw(i)).outputParameters, decodeResult(b.raw(i)).outputParameters, tolerance);
      let same = true;
      for (const o of outputs) {
        if (o.equal) continue;
        same = false;
        let st = stats.get(o.name);
        if (!st && stats.size < MAX_OUTPUTS) stats.set(o.name, (st = new OutputStats(o.name, top)));
        if (st) st.add(i, o);
        else if (leftOut.size < 10_000) leftOut.add(o.name);
      }
      return same;
    });
    verdicts[i] = code;
    tally[code]++;
  }
  const n = (v: Verdict) => tally[VERDICT[v]];
  const counts: DiffCounts = {
    equal: n('equal'),
    different: n('different'),
    failedInOne: n('failedInA') + n('failedInB'),
    failedInA: n('failedInA'),
    failedInB: n('failedInB'),
    failedInBoth: n('failedInBoth'),
    unfinished: n('unfinished'),
    onlyInOne: n('onlyInA') + n('onlyInB'),
  };
  return {
    sizeA: a.size,
    sizeB: b.size,
    compared,
    tolerance,
    counts,
    equal: counts.different + counts.failedInOne + counts.unfinished + counts.onlyInOne === 0,
    outputs: [...stats.values()].map((s) => s.s),
    outputsLeftOut: leftOut.size,
    verdicts,
  };
}

/** The indices with a given verdict, in order (at most `limit`). */
export function indicesOf(verdicts: Uint8Array, verdict: Verdict, limit = Infinity): number[] {
  const code = VERDICT[verdict];
  const out: number[] = [];
  for (let i = 0; i < verdicts.length && out.length < limit; i++) if (verdicts[i] === code) out.push(i);
  return out;
}

/** The indices that are not equal (what a reader goes through), in order. */
export function unequalIndices(verdicts: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < verdicts.length; i++) if (verdicts[i] !== VERDICT.equal) out.push(i);
  return out;
}
