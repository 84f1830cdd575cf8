/** Where per-index results come from: a parsed array, or byte ranges of a scanned body decoded on demand. */

/** Positional results, read one index at a time. */
export interface ResultSource {
  readonly length: number;
  /** True when index `i` holds something other than null (or is missing). */
  present(i: number): boolean;
  /** The element at `i` as JSON.parse gives it (undefined past the end). */
  raw(i: number): unknown;
}

/** A parsed `batchExecutionResults` array as a ResultSource. */
export function arraySource(results: readonly unknown[]): ResultSource {
  return {
    length: results.length,
    present: (i) => results[i] != null,
    raw: (i) => results[i],
  };
}

/**
 * The newest results, keeping earlier ones a shorter or empty answer leaves out (a real server
 * may send fewer elements than before); a wrapper only in that rare case.
 */
export function mergeSources(old: ResultSource, next: ResultSource): ResultSource {
  if (next.length >= old.length) return next;
  if (next.length === 0) return old;
  const from = (i: number) => (i < next.length && next.present(i) ? next : old);
  const merged = {
    length: old.length,
    depth: (merges.get(old) ?? 0) + 1,
    present: (i: number) => from(i).present(i),
    raw: (i: number) => from(i).raw(i),
  };
  // Each layer keeps one body's bytes alive: past a few shrinking answers in a row, keep values instead.
  if (merged.depth <= MAX_MERGE_DEPTH) {
    merges.set(merged, merged.depth);
    return merged;
  }
  return arraySource(Array.from({ length: merged.length }, (_, i) => (merged.present(i) ? merged.raw(i) : null)));
}

const MAX_MERGE_DEPTH = 3;

/**
 * The results of the last full answer with the items delta answers changed since laid over
 * them; changed items are kept as JSON text (a third of a parsed object's memory) and parsed
 * when read.
 */
export class OverlaySource implements ResultSource {
  private readonly texts = new Map<number, string>();

  constructor(
    private readonly base: ResultSource,
    readonly length: number,
  ) {}

  /** Lays `raw` over index `i` (within `length`). */
  set(i: number, raw: unknown): void {
    this.texts.set(i, JSON.stringify(raw ?? null));
  }

  present(i: number): boolean {
    const text = this.texts.get(i);
    return text !== undefined ? text !== 'null' : this.base.present(i);
  }

  raw(i: number): unknown {
    const text = this.texts.get(i);
    return text !== undefined ? JSON.parse(text) : this.base.raw(i);
  }
}
const merges = new WeakMap<ResultSource, number>();

/** The elements of one scanned body (kept as bytes): byte offsets, kind and item code per index. */
export class LazyResults implements ResultSource {
  static readonly NULL = 0;
  static readonly OBJECT = 1;
  static readonly OTHER = 2;
  length = 0;
  /** Whether the first object element carries `state` (a server reporting per-item states); undefined with no object. */
  statesReported: boolean | undefined;
  private starts = new Uint32Array(1024);
  private ends = new Uint32Array(1024);
  private kinds = new Uint8Array(1024);
  private codes = new Int8Array(1024);

  constructor(private readonly bytes: Buffer) {}

  /** @internal Records the next element (used by the scan). */
  push(start: number, end: number, kind: number, code: number): void {
    const i = this.length;
    if (i === this.starts.length) this.grow(i * 2);
    this.starts[i] = start;
    this.ends[i] = end;
    this.kinds[i] = kind;
    this.codes[i] = code;
    this.length = i + 1;
  }

  /** @internal Notes whether an object element carries `state`; only the first one counts. */
  sampleHasState(has: boolean): void {
    this.statesReported ??= has;
  }

  /** @internal Drops the spare capacity once the scan is over. */
  seal(): this {
    if (this.starts.length > this.length + 1024) this.grow(this.length);
    return this;
  }

  private grow(size: number): void {
    const copy = <T extends Uint32Array | Uint8Array | Int8Array>(a: T, b: T): T => {
      b.set(a.subarray(0, Math.min(a.length, size)));
      return b;
    };
    this.starts = copy(this.starts, new Uint32Array(size));
    this.ends = copy(this.ends, new Uint32Array(size));
    this.kinds = copy(this.kinds, new Uint8Array(size));
    this.codes = copy(this.codes, new Int8Array(size));
  }

  /** ITEM_CODE of index `i` from its own keys; -1 for null, a non-object or past the end. */
  code(i: number): number {
    return i < this.length ? this.codes[i] : -1;
  }

  /** True when index `i` is an object (a result). */
  isObject(i: number): boolean {
    return i < this.length && this.kinds[i] === LazyResults.OBJECT;
  }

  present(i: number): boolean {
    return i < this.length && this.kinds[i] !== LazyResults.NULL;
  }

  /**
   * The element at `i`, parsed now. An element that is not valid JSON (the scan only checks its
   * brackets and top-level keys) reads as a failed result saying so, instead of throwing at
   * whoever draws it.
   */
  raw(i: number): unknown {
    if (!(i >= 0 && i < this.length) || this.kinds[i] === LazyResults.NULL) return i >= 0 && i < this.length ? null : undefined;
    const slice = this.bytes.toString('utf8', this.starts[i], this.ends[i]);
    try {
      return JSON.parse(slice);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return {
        success: false,
        errorMessage: `mlbatch could not read the server's result for index ${i}: it is not valid JSON (${why})`,
      };
    }
  }

  /** The JSON text of element `i` as bytes (a view of the body, not a copy); undefined for null or past the end. */
  bytesOf(i: number): Buffer | undefined {
    return i >= 0 && i < this.length && this.kinds[i] !== LazyResults.NULL ? this.bytes.subarray(this.starts[i], this.ends[i]) : undefined;
  }

  /** Every element parsed (what a plain array of results would hold). */
  toArray(): unknown[] {
    const out = new Array<unknown>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.raw(i);
    return out;
  }
}
