/**
 * `--wait`, one way for `run`, `rerun` and `status`: follow an execution to its end within the
 * poll budget (`--poll-budget`), tell the journal how it ended, and exit by its state.
 */
import type { Batch } from '../client/batch.js';
import type { PollSnapshot } from '../watch/poller.js';
import { progressOf } from '../watch/progress.js';
import { safeText } from '../text/safe-text.js';
import { ITEM_CODE } from '../protocol.js';
import { exitCodeForState } from '../session/exit.js';
import { resolvePollBudget } from '../session/poll-budget.js';
import { printJson } from './print.js';
import { executionSummary } from './shared.js';
import { watchExecution } from './watch.js';

/** The flags of a command that can wait (registered by `addWaitOptions`). */
export interface WaitFlags {
  wait?: boolean;
  pollBudget?: string;
  failOnItemError?: boolean;
  json?: boolean;
}

/** Exit code when Ctrl-C stopped the watching (the execution keeps running). */
const INTERRUPTED = 130;

/** How a command waits for an execution's end, read from its flags. */
export class EndWait {
  private constructor(
    /** Whether the command waits at all. */
    readonly wanted: boolean,
    private readonly budget: number | undefined,
    private readonly failOnItemError: boolean,
  ) {}

  /**
   * Read before anything is sent or started, so a poll budget that is not a rate stops the
   * command first (a flag, or MLBATCH_POLL_BUDGET, even when it would not wait).
   */
  static of(flags: WaitFlags, wanted = Boolean(flags.wait)): EndWait {
    return new EndWait(wanted, resolvePollBudget(flags.pollBudget), Boolean(flags.failOnItemError));
  }

  /**
   * Polls until the execution ends, progress on stderr; `noted` gets the last snapshot (for the
   * journal), however the watching ended. Undefined when Ctrl-C stopped it.
   */
  async follow(batch: Batch, noted: (s: PollSnapshot) => void): Promise<PollSnapshot | undefined> {
    const { snapshot, interrupted } = await watchExecution(batch, { poller: { budgetBytesPerSecond: this.budget } });
    noted(snapshot);
    return interrupted ? undefined : snapshot;
  }

  /** The exit code of an execution's state (1 for any failed record with --fail-on-item-error); 130 after Ctrl-C. */
  exitCode(s: PollSnapshot | undefined): number {
    return s ? exitCodeForState(s.state, s.counts[ITEM_CODE.Failed], this.failOnItemError) : INTERRUPTED;
  }
}

/** How a started execution ended, on stdout: its summary with `extra` (--json), or `<id> Complete 16/16 done, 3 failed`. */
export function printEnd(batch: Batch, s: PollSnapshot, json: boolean | undefined, extra: Record<string, unknown> = {}): void {
  if (json) return printJson({ ...executionSummary(batch, s), ...extra });
  const p = progressOf({ total: s.totalItemCount, completed: s.completedItemCount, counts: s.counts, ended: s.ended, throughput: 0 });
  process.stdout.write(`${safeText(s.executionId)} ${s.state} ${p.finished}/${p.total} done, ${s.counts[ITEM_CODE.Failed]} failed\n`);
}
