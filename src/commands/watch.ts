/** Watching one execution from a headless command: progress lines until it ends (or Ctrl-C). */
import type { Batch } from '../client/batch.js';
import { isConnectionError, isFinalError } from '../client/errors.js';
import { Poller, type PollerOptions, type PollSnapshot } from '../watch/poller.js';
import { safeText } from '../text/safe-text.js';
import { StallWatch } from '../watch/stall.js';
import { formatDuration } from '../text/units.js';
import { ITEM_CODE } from '../protocol.js';
import { EXIT, ExitError, exitCodeOf } from '../session/exit.js';
import { ProgressWriter, progressLine } from './print.js';

/** Polls failing in a row before a script is told the server is gone (each already retried). */
const MAX_CONSECUTIVE_ERRORS = 8;
/** Time without a good poll before a script is told the server is gone, however slowly each poll fails. */
const MAX_QUIET_MS = 10 * 60_000;

/** Options of `watchExecution`; the limits exist so tests can give up in milliseconds, not minutes. */
export interface WatchOptions {
  quiet?: boolean;
  /** Failed polls in a row before giving up (default 8). */
  maxConsecutiveErrors?: number;
  /** Time without a good poll, with at least two failures in a row, before giving up (default 10 min). */
  maxQuietMs?: number;
  /** Intervals of the poller (defaults: the Poller's). */
  poller?: Pick<PollerOptions, 'minIntervalMs' | 'maxIntervalMs' | 'maxErrorIntervalMs' | 'timeoutMs' | 'budgetBytesPerSecond'>;
  /** Where progress lines go (default standard error). */
  progress?: ProgressWriter;
  /** Stops watching like Ctrl-C does. */
  signal?: AbortSignal;
  /** The clock of the stall warning (tests give their own). */
  now?: () => number;
}

/** The one line `--wait` prints when an execution stalls. */
function stallWarning(batch: Batch, running: number, silentMs: number): string {
  return safeText(`warning: no record of execution ${batch.executionId} has finished for ${formatDuration(silentMs)} ` +
    `while ${running} ${running === 1 ? 'is' : 'are'} running: it may have stalled (still watching)`);
}

/**
 * Polls until the execution ends. Ctrl-C stops watching (the execution keeps running); a server
 * that keeps failing ends the wait with exit 4 (unreachable) or 1, rather than waiting forever;
 * an answer that cannot change by waiting (e.g. 404) ends it at once.
 */
export async function watchExecution(batch: Batch, options: WatchOptions = {}): Promise<{ snapshot: PollSnapshot; interrupted: boolean }> {
  const progress = options.progress ?? new ProgressWriter();
  const maxErrors = options.maxConsecutiveErrors ?? MAX_CONSECUTIVE_ERRORS;
  const maxQuietMs = options.maxQuietMs ?? MAX_QUIET_MS;
  const started = Date.now();
  const now = options.now ?? Date.now;
  const stall = new StallWatch();
  // A server that fails each poll only after its whole-request limit would take
  // maxErrors × that limit to give up on: the time since the last good poll bounds it too.
  const tooQuiet = (s: PollSnapshot) => s.consecutiveErrors >= 2 && Date.now() - (s.lastGoodPollAt ?? started) >= maxQuietMs;
  const interrupt = new AbortController();
  const giveUp = new AbortController();
  const onSignal = () => interrupt.abort();
  process.once('SIGINT', onSignal);
  if (options.signal?.aborted) interrupt.abort();
  options.signal?.addEventListener('abort', onSignal, { once: true });
  try {
    const poller = new Poller(batch, {
      ...options.poller,
      signal: AbortSignal.any([interrupt.signal, giveUp.signal]),
      onUpdate: (s) => {
        if (!options.quiet) progress.update(progressLine(s), `${s.state} ${s.counts.join(',')} ${s.completedItemCount} ${s.lastError?.message ?? ''}`);
        if (!s.lastError) {
          const at = now();
          const alarm = stall.observePoll(at, s);
          if (alarm.fresh) progress.note(stallWarning(batch, s.counts[ITEM_CODE.Running], at - alarm.stalledSince!));
        }
        if (s.consecutiveErrors >= maxErrors || tooQuiet(s) || isFinalError(s.lastError)) giveUp.abort();
      },
    });
    const snapshot = await poller.run();
    progress.finish();
    if (giveUp.signal.aborted && snapshot.lastError) {
      const error = snapshot.lastError;
      if (isFinalError(error)) throw new ExitError(exitCodeOf(error), error.message);
      const code = isConnectionError(error) ? EXIT.connection : EXIT.failed;
      const quiet = Math.round((Date.now() - (snapshot.lastGoodPollAt ?? started)) / 1000);
      throw new ExitError(code, `gave up after ${snapshot.consecutiveErrors} failed polls in a row (no good poll for ${quiet} s): ${error.message}`);
    }
    if (interrupt.signal.aborted) {
      process.stderr.write(safeText(
        `stopped watching; execution ${batch.executionId} keeps running. Follow it with: ` +
        `mlbatch status ${batch.service.name} ${batch.service.version} ${batch.executionId} --wait`) + '\n');
    }
    return { snapshot, interrupted: interrupt.signal.aborted };
  } finally {
    process.off('SIGINT', onSignal);
    options.signal?.removeEventListener('abort', onSignal);
  }
}
