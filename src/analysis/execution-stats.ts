/**
 * The statistics of one execution, kept up to date one finished record at a time: a poll of a
 * 100,000-record execution adds only the records that finished since the last one. Memory is
 * bounded by the records (a few typed arrays of one number each) and by fixed caps on outputs
 * and distinct values, whatever a server sends.
 */
import { ITEM_CODE, type ParameterDefinition } from '../protocol.js';
import {
  percentile, RunningSummary, SortedNumbers, sortedHistogram, ValueCounter,
  type Distribution, type Histogram, type NumericSummary, type ValueCount,
} from './stats.js';
import { rateSeries, type PollSample, type RateSeries } from './rate-series.js';

/** What a record's result says, as the stats read it. */
export interface RecordFacts {
  failed: boolean;
  /** Epoch ms the record started and ended, when the server says. */
  startMs: number | null;
  endMs: number | null;
  outputs: Readonly<Record<string, unknown>>;
}

/** How one output is summarised: numbers, or most frequent values (text and logical). */
export type OutputKind = 'numeric' | 'values';

/** The figures of one numeric output. */
export interface NumericOutput extends NumericSummary {
  name: string;
  kind: 'numeric';
  /** Records whose value was missing or not a number. */
  other: number;
  histogram: Histogram | null;
}

/** The most frequent values of one character or logical output. */
export interface ValuesOutput {
  name: string;
  kind: 'values';
  count: number;
  distinct: number;
  /** Values past the distinct-value cap, counted together. */
  other: number;
  /** Records whose value was missing. */
  missing: number;
  top: ValueCount[];
}

/** One output's figures. */
export type OutputStats = NumericOutput | ValuesOutput;

/** Everything the stats screen and `mlbatch stats` show of an execution. */
export interface StatsSummary {
  /** Finished records read (complete and failed). */
  records: number;
  failed: number;
  /** Records with a start and end time the server gave. */
  timed: number;
  /** Record durations in ms (null when no record carries both times). */
  durations: (Distribution & { histogram: Histogram | null }) | null;
  outputs: OutputStats[];
  /** Outputs left out past the cap on outputs (counted up to 1000). */
  outputsLeftOut: number;
  rates: RateSeries | null;
}

/** Bins of a summary's series and histograms, and the poll history for rates when records carry no times. */
export interface SummaryOptions {
  /** Points of the rate series. */
  bins: number;
  /** Bins of the duration histogram (default `bins`). */
  durationBins?: number;
  /** Bins of each numeric output's histogram (default `bins`). */
  outputBins?: number;
  history?: readonly PollSample[];
}

/** Caps that keep a hostile or huge answer from growing memory without end. */
export const STATS_LIMITS = { maxOutputs: 32, maxNameLength: 200, maxDistinct: 1000, maxValueLength: 200, topValues: 5 };

// Times outside 2000..2100, and durations past 30 days, are a server's mistake, not a record's time.
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);
const LONGEST = 30 * 86_400_000;

/** An epoch ms from a server, or null when it cannot be a record's time. */
export function recordTime(ms: number | null | undefined): number | null {
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= EARLIEST && ms < LATEST ? ms : null;
}

interface NumericColumn {
  kind: 'numeric';
  name: string;
  values: SortedNumbers;
  running: RunningSummary;
  other: number;
}

interface ValuesColumn {
  kind: 'values';
  name: string;
  counter: ValueCounter;
  missing: number;
}

type Column = NumericColumn | ValuesColumn;

function kindOfType(type: string): OutputKind | undefined {
  if (type === 'numeric' || type === 'integer') return 'numeric';
  if (type === 'character' || type === 'logical') return 'values';
  return undefined;
}

function kindOfValue(value: unknown): OutputKind | undefined {
  if (typeof value === 'number') return 'numeric';
  if (typeof value === 'string' || typeof value === 'boolean') return 'values';
  return undefined;
}

const isFinal = (code: number) => code === ITEM_CODE.Complete || code === ITEM_CODE.Failed;

/** Statistics of one execution, fed finished records once each. */
export class ExecutionStats {
  private seen = new Uint8Array(0);
  private scanFrom = 0;
  private scanOf: Uint8Array | null = null;
  private records = 0;
  private failed = 0;
  private readonly ends = new SortedNumbers();
  private readonly failedEnds = new SortedNumbers();
  private firstStart = Infinity;
  private readonly durations = new SortedNumbers();
  private readonly durationRunning = new RunningSummary();
  private readonly columns = new Map<string, Column | null>();
  private tracked = 0;
  /** Names of outputs past the cap, remembered up to a cap of their own to count them. */
  private readonly leftOut = new Set<string>();
  private readonly declared: Map<string, OutputKind>;

  /** `schema`: the service's output definitions, when known (else kinds come from the values). */
  constructor(schema: readonly ParameterDefinition[] = []) {
    this.declared = new Map();
    for (const p of schema) {
      const kind = kindOfType(p.type);
      if (kind) this.declared.set(p.name, kind);
    }
  }

  /**
   * Reads the records that finished since the last call: indices whose state (ITEM_CODE) is
   * complete or failed and that were not read yet, until `deadline` (a `performance.now()` time).
   * True when every finished record is read; false when the deadline cut it short (call again).
   */
  update(states: Uint8Array, factsOf: (index: number) => RecordFacts | undefined, deadline = Infinity): boolean {
    if (this.seen.length < states.length) {
      const grown = new Uint8Array(states.length);
      grown.set(this.seen);
      this.seen = grown;
    }
    // A new states array may have changed anywhere: scan it from the start (a byte compare each).
    if (states !== this.scanOf) {
      this.scanOf = states;
      this.scanFrom = 0;
    }
    const seen = this.seen;
    let i = this.scanFrom;
    let read = 0;
    for (; i < states.length; i++) {
      if (seen[i] || !isFinal(states[i])) continue;
      // The clock is read every 64 records: cheap, and a slice overruns its deadline by little.
      if ((++read & 63) === 0 && performance.now() > deadline) break;
      seen[i] = 1;
      const facts = factsOf(i);
      if (facts) this.add(facts, states[i] === ITEM_CODE.Failed);
    }
    this.scanFrom = i;
    return i >= states.length;
  }

  /** Adds one finished record (`failed` from its state, or from its result when no state is known). */
  add(facts: RecordFacts, failed = facts.failed): void {
    this.records++;
    if (failed) this.failed++;
    const start = recordTime(facts.startMs);
    const end = recordTime(facts.endMs);
    if (end !== null) {
      this.ends.add(end);
      if (failed) this.failedEnds.add(end);
    }
    if (start !== null && start < this.firstStart) this.firstStart = start;
    if (start !== null && end !== null && end >= start && end - start <= LONGEST) {
      this.durations.add(end - start);
      this.durationRunning.add(end - start);
    }
    for (const name in facts.outputs) this.addOutput(name, facts.outputs[name]);
  }

  private column(name: string, value: unknown): Column | null | undefined {
    const known = this.columns.get(name);
    if (known !== undefined) return known;
    if (this.tracked >= STATS_LIMITS.maxOutputs) {
      if (this.leftOut.size < 1000) this.leftOut.add(name);
      return null;
    }
    const kind = this.declared.get(name) ?? kindOfValue(value);
    // An output with no value yet (null) decides its kind from a later record.
    if (kind === undefined && (value === null || value === undefined)) return undefined;
    this.tracked++;
    if (kind === undefined) {
      // Vectors, matrices and data frames are not summarised; the name is kept so it is not weighed again.
      this.columns.set(name, null);
      return null;
    }
    const shown = name.length > STATS_LIMITS.maxNameLength ? `${name.slice(0, STATS_LIMITS.maxNameLength - 1)}…` : name;
    const column: Column = kind === 'numeric'
      ? { kind, name: shown, values: new SortedNumbers(), running: new RunningSummary(), other: 0 }
      : { kind, name: shown, counter: new ValueCounter(STATS_LIMITS.maxDistinct, STATS_LIMITS.maxValueLength), missing: 0 };
    this.columns.set(name, column);
    return column;
  }

  private addOutput(name: string, value: unknown): void {
    const column = this.column(name, value);
    if (!column) return;
    if (column.kind === 'numeric') {
      if (typeof value === 'number') {
        column.running.add(value);
        column.values.add(value);
      } else column.other++;
    } else if (value === null || value === undefined) column.missing++;
    else column.counter.add(typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value));
  }

  /**
   * The figures so far (see SummaryOptions). Every series is kept sorted, so percentiles,
   * histograms and rate bins are binary searches, not passes over every record.
   */
  summary({ bins, durationBins = bins, outputBins = bins, history = [] }: SummaryOptions): StatsSummary {
    const sorted = this.durations.values();
    const running = this.durationRunning.summary();
    const durations = sorted.length
      ? {
        ...running,
        p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99),
        histogram: sortedHistogram(sorted, durationBins, this.durations.integers),
      }
      : null;
    const outputs: OutputStats[] = [];
    for (const c of this.columns.values()) {
      if (!c) continue;
      if (c.kind === 'numeric') {
        outputs.push({ name: c.name, kind: 'numeric', ...c.running.summary(), other: c.other, histogram: sortedHistogram(c.values.values(), outputBins, c.values.integers) });
      } else {
        const k = c.counter;
        outputs.push({ name: c.name, kind: 'values', count: k.total, distinct: k.distinct, other: k.other, missing: c.missing, top: k.top(STATS_LIMITS.topValues) });
      }
    }
    const start = Number.isFinite(this.firstStart) ? this.firstStart : null;
    return {
      records: this.records,
      failed: this.failed,
      timed: sorted.length,
      durations,
      outputs,
      outputsLeftOut: this.leftOut.size,
      rates: rateSeries({ ends: this.ends.values(), failedEnds: this.failedEnds.values(), start }, history, bins),
    };
  }
}
