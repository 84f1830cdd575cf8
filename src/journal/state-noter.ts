/** Writes an execution's progress to the journal cheaply: on a change of state at once, else at most every few seconds. */
import type { Journal, JournalKey, KnownState } from './journal.js';

/** Default gap between two writes of the same state's progress. */
export const NOTE_INTERVAL_MS = 10_000;

/** Throttles `journal.noteState` for one execution; polls call `note` as often as they like. */
export class StateNoter {
  private lastState: string | null = null;
  private lastAt = -Infinity;
  private lastCompleted = -1;

  constructor(
    private readonly journal: Journal,
    private readonly key: JournalKey,
    private readonly intervalMs = NOTE_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Writes when the state changed, or when progress moved and the interval has passed; true when it wrote. */
  note(known: KnownState): boolean {
    const t = this.now();
    const changed = known.state !== this.lastState;
    if (!changed && (known.completed === this.lastCompleted || t - this.lastAt < this.intervalMs)) return false;
    this.journal.noteState(this.key, known);
    this.lastState = known.state;
    this.lastAt = t;
    this.lastCompleted = known.completed;
    return true;
  }
}
