/** Per-index state of one execution, updated from poll answers: typed arrays and incremental counts. */
import { ITEM_CODE, isEndedState, type ExecutionState, type ParameterDefinition } from '../protocol.js';
import { decodeItemState, isObject, itemCodeOf, type DecodedPoll } from '../client/decode.js';
import { resultCount } from '../client/poll-scan.js';
import { arraySource, mergeSources, OverlaySource, type ResultSource } from '../client/result-source.js';
import { ServiceResponse } from '../client/responses.js';

/** Items per ITEM_CODE: `[Pending, Running, Complete, Failed, Canceled]`. */
export type ItemCounts = readonly [number, number, number, number, number];

/** The indices whose item code is `code`, in order, at most `limit`. */
export function indicesIn(items: Uint8Array, code: number, limit = Infinity): number[] {
  const out: number[] = [];
  for (let i = 0; i < items.length && out.length < limit; i++) if (items[i] === code) out.push(i);
  return out;
}

/**
 * Where the Running items come from: the server reports them (`reported`), they are the first
 * parallelCount unfinished ones of a parallelCount mlbatch knows (`inferred`), or nobody knows
 * which records run (`unknown`: no item is shown running).
 */
export type RunningSource = 'reported' | 'inferred' | 'unknown';

/** Which keys a body uses, found once per poll from one element (all elements share a shape). */
interface Keys {
  state?: string;
  success?: string;
  errorMessage?: string;
}

function keysOf(sample: Record<string, unknown>): Keys {
  const keys: Keys = {};
  for (const k of Object.keys(sample)) {
    const lower = k.toLowerCase();
    if (lower === 'state') keys.state = k;
    else if (lower === 'success') keys.success = k;
    else if (lower === 'errormessage') keys.errorMessage = k;
  }
  return keys;
}

const EXACT_CODE = new Map<string, number>(Object.entries(ITEM_CODE));

function codeOf(raw: unknown, keys: Keys): number {
  if (!isObject(raw)) return -1;
  if (keys.state !== undefined) {
    const value = raw[keys.state];
    // The exact spelling first: no string allocated per item on the common path.
    const exact = typeof value === 'string' ? EXACT_CODE.get(value) : undefined;
    if (exact !== undefined) return exact;
    const declared = decodeItemState(value);
    if (declared) return ITEM_CODE[declared];
  }
  const success = keys.success !== undefined ? raw[keys.success] : undefined;
  const message = keys.errorMessage !== undefined ? raw[keys.errorMessage] : undefined;
  const failed = success === false || success === 'false' || success === 'False'
    || (typeof message === 'string' && message.length > 0);
  return failed ? ITEM_CODE.Failed : ITEM_CODE.Complete;
}

const FINAL = (code: number) => code >= ITEM_CODE.Complete;

/** The mutable state a Poller keeps; `apply` folds one poll answer in and says if anything changed. */
export class PollState {
  state: ExecutionState = 'Pending';
  rawState = '';
  total = 0;
  /** The server's own completedItemCount (may lead the per-item view after a counts-only poll). */
  completed = 0;
  /** ITEM_CODE per index; a new array whenever anything in it changes. */
  items: Uint8Array = new Uint8Array(0);
  private counts = [0, 0, 0, 0, 0];
  /** True once the server reports its running records and parallelCount (the embedded server). */
  runningReported = false;
  /** The parallelCount the server reports, else the one mlbatch started with, else null. */
  parallelCount: number | null;
  /** Whether `parallelCount` came from the server. */
  parallelReported = false;
  version = 0;
  private results: ResultSource = arraySource([]);
  private readonly decoded = new Map<number, ServiceResponse>();

  /** `parallelCount` is null when mlbatch does not know it (an execution re-attached by id). */
  constructor(
    parallelCount: number | null,
    private readonly outputSchema: readonly ParameterDefinition[] = [],
  ) {
    this.parallelCount = parallelCount;
  }

  /** How the Running items are known (see RunningSource). */
  get runningSource(): RunningSource {
    return this.runningReported ? 'reported' : this.parallelCount !== null ? 'inferred' : 'unknown';
  }

  /** True only when every item's state is the server's own, Running ones included: nothing is guessed. */
  get itemStatesReported(): boolean {
    return this.runningReported;
  }

  /** Items per state, kept incrementally. */
  get itemCounts(): ItemCounts {
    return [this.counts[0], this.counts[1], this.counts[2], this.counts[3], this.counts[4]];
  }

  /** Folds in one answer; `full` is false for a counts-only poll. Returns true when anything changed. */
  apply(poll: DecodedPoll, full: boolean): boolean {
    this.noteExtension(poll);
    let changed = poll.state !== this.state || poll.completedItemCount !== this.completed
      || poll.rawState !== this.rawState;
    this.state = poll.state;
    this.rawState = poll.rawState;
    this.completed = poll.completedItemCount;
    const count = resultCount(poll);
    const total = Math.max(poll.totalItemCount, count, this.total);
    let items = this.items;
    if (total !== items.length) {
      items = new Uint8Array(total);
      items.set(this.items.subarray(0, Math.min(total, this.items.length)));
      this.counts[ITEM_CODE.Pending] += total - this.items.length;
      this.total = total;
      changed = true;
    }
    // A counts-only answer carries no results (until the end); keep the per-item view as it is.
    if (full || count > 0) {
      // ingest() installs its own new array when anything changed; keep that one.
      if (this.ingest(poll, items)) changed = true;
      else if (items !== this.items) this.items = items;
    } else if (items !== this.items) {
      this.items = items;
    }
    if (changed) this.version++;
    return changed;
  }

  private ingest(poll: DecodedPoll, current: Uint8Array): boolean {
    const next = current === this.items ? new Uint8Array(current) : current;
    // A scanned body knows each element's code already; a parsed one is read through its keys.
    const lazy = poll.lazy;
    let length: number;
    let codeAt: (i: number) => number;
    let source: ResultSource;
    if (lazy) {
      length = lazy.length;
      codeAt = (i) => lazy.code(i);
      source = lazy;
    } else {
      const results = poll.results;
      const sample = results.find(isObject);
      const keys = sample ? keysOf(sample) : {};
      length = results.length;
      codeAt = (i) => codeOf(results[i], keys);
      source = arraySource(results);
    }
    const ended = isEndedState(this.state);
    // A server that reports running records sends them; any other sends unfinished items as null
    // (or not at all). Records start in index order, so with a known parallelCount the first
    // ones of those run; with none known, no item is shown running rather than a guess.
    const inferRunning = this.state === 'InProgress' && this.runningSource === 'inferred';
    // No more can run than the server says are unfinished (its count may lead the results sent).
    const runningCap = Math.min(this.parallelCount ?? 0, Math.max(0, this.total - this.completed));
    const counts = this.counts;
    let running = 0;
    let changed = false;
    for (let i = 0; i < next.length; i++) {
      let code = i < length ? codeAt(i) : -1;
      if (code < 0) {
        if (FINAL(next[i])) continue; // a finished item never goes back (short or sparse answer)
        code = ended && this.state === 'Canceled' ? ITEM_CODE.Canceled
          : inferRunning && running < runningCap ? ITEM_CODE.Running : ITEM_CODE.Pending;
      }
      if (code === ITEM_CODE.Running) running++;
      const old = next[i];
      if (old !== code) {
        counts[old]--;
        counts[code]++;
        next[i] = code;
        changed = true;
      }
    }
    this.results = mergeSources(this.results, source);
    if (changed) this.items = next;
    return changed;
  }

  /**
   * Folds in a delta answer (only the items changed since the cursor). Built on a copy and kept
   * only when it agrees with the server's own counts: returns whether anything changed, or
   * undefined when the answer is in doubt (then nothing was applied; a full poll must follow).
   */
  applyDelta(poll: DecodedPoll): boolean | undefined {
    const ext = poll.ext;
    if (!ext?.delta || ext.unreadable > 0 || ext.cursor === undefined) return undefined;
    if (this.version === 0 || poll.totalItemCount !== this.total) return undefined;
    const counts = [...this.counts];
    let next: Uint8Array | undefined;
    for (const { index, raw } of ext.changed) {
      const code = itemCodeOf(raw);
      if (index >= this.total || code < 0) return undefined;
      const old = (next ?? this.items)[index];
      if (old === code) continue;
      next ??= new Uint8Array(this.items);
      counts[old]--;
      counts[code]++;
      next[index] = code;
    }
    // As a full answer of a canceled execution reads: what never started is canceled.
    if (poll.state === 'Canceled' && counts[ITEM_CODE.Pending] > 0) {
      next ??= new Uint8Array(this.items);
      for (let i = 0; i < next.length; i++) if (next[i] === ITEM_CODE.Pending) next[i] = ITEM_CODE.Canceled;
      counts[ITEM_CODE.Canceled] += counts[ITEM_CODE.Pending];
      counts[ITEM_CODE.Pending] = 0;
    }
    if (counts[ITEM_CODE.Complete] + counts[ITEM_CODE.Failed] !== poll.completedItemCount) return undefined;
    if (ext.runningItemCount !== undefined && counts[ITEM_CODE.Running] !== ext.runningItemCount) return undefined;
    this.noteExtension(poll);
    const changed = next !== undefined || poll.state !== this.state || poll.rawState !== this.rawState
      || poll.completedItemCount !== this.completed;
    this.state = poll.state;
    this.rawState = poll.rawState;
    this.completed = poll.completedItemCount;
    if (ext.changed.length > 0) {
      const overlay = this.results instanceof OverlaySource ? this.results : new OverlaySource(this.results, this.total);
      for (const { index, raw } of ext.changed) {
        overlay.set(index, raw);
        this.decoded.delete(index);
      }
      this.results = overlay;
    }
    if (next) {
      this.items = next;
      this.counts = counts;
    }
    if (changed) this.version++;
    return changed;
  }

  private noteExtension(poll: DecodedPoll): void {
    const ext = poll.ext;
    if (!ext) return;
    if (ext.runningItemCount !== undefined) this.runningReported = true;
    if (ext.parallelCount !== undefined) {
      this.parallelCount = ext.parallelCount;
      this.parallelReported = true;
    }
  }

  /** The decoded result of one index, or undefined when it has none yet; decoded once when final. */
  result(index: number): ServiceResponse | undefined {
    const hit = this.decoded.get(index);
    if (hit) return hit;
    const raw = index >= 0 && this.results.present(index) ? this.results.raw(index) : undefined;
    if (!isObject(raw)) return undefined;
    const response = new ServiceResponse(raw, this.outputSchema);
    if (FINAL(this.items[index] ?? 0)) this.decoded.set(index, response);
    return response;
  }
}
