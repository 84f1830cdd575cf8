/** Watching one execution from a headless command: progress lines until it ends (or Ctrl-C). */
import type { Batch } from '../batch/batch.js';
import { isConnectionError } from '../batch/errors.js';
import { Poller, type PollSnapshot } from '../batch/poller.js';
import { EXIT, ExitError } from './exit.js';
import { ProgressWriter, progressLine } from './output.js';

/** Polls failing in a row before a script is told the server is gone (each already retried). */
const MAX_CONSECUTIVE_ERRORS = 8;

/**
 * Polls until the execution ends. Ctrl-C stops watching (the execution keeps running); a server
 * that keeps failing ends the wait with exit 4 (unreachable) or 1, rather than waiting forever.
 */
export async function watchExecution(batch: Batch, options: { quiet?: boolean } = {}): Promise<{ snapshot: PollSnapshot; interrupted: boolean }> {
  const progress = new ProgressWriter();
  const interrupt = new AbortController();
  const giveUp = new AbortController();
  const onSignal = () => interrupt.abort();
  process.once('SIGINT', onSignal);
  try {
    const poller = new Poller(batch, {
      signal: AbortSignal.any([interrupt.signal, giveUp.signal]),
      onUpdate: (s) => {
        if (!options.quiet) progress.update(progressLine(s), `${s.state} ${s.counts.join(',')} ${s.completedItemCount} ${s.lastError?.message ?? ''}`);
        if (s.consecutiveErrors >= MAX_CONSECUTIVE_ERRORS) giveUp.abort();
      },
    });
    const snapshot = await poller.run();
    progress.finish();
    if (giveUp.signal.aborted && snapshot.lastError) {
      const code = isConnectionError(snapshot.lastError) ? EXIT.connection : EXIT.failed;
      throw new ExitError(code, `gave up after ${snapshot.consecutiveErrors} failed polls in a row: ${snapshot.lastError.message}`);
    }
    if (interrupt.signal.aborted) {
      process.stderr.write(
        `stopped watching; execution ${batch.executionId} keeps running. Follow it with: ` +
        `mlbatch status ${batch.service.name} ${batch.service.version} ${batch.executionId} --wait\n`);
    }
    return { snapshot, interrupted: interrupt.signal.aborted };
  } finally {
    process.off('SIGINT', onSignal);
  }
}
