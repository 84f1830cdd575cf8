/** Watching one execution from a headless command: progress lines until it ends (or Ctrl-C). */
import type { Batch } from '../batch/batch.js';
import { Poller, type PollSnapshot } from '../batch/poller.js';
import { ProgressWriter, progressLine } from './output.js';

/** Polls until the execution ends; Ctrl-C stops watching (the execution keeps running). */
export async function watchExecution(batch: Batch, options: { quiet?: boolean } = {}): Promise<{ snapshot: PollSnapshot; interrupted: boolean }> {
  const progress = new ProgressWriter();
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  try {
    const poller = new Poller(batch, {
      signal: controller.signal,
      onUpdate: (s) => {
        if (!options.quiet) progress.update(progressLine(s), `${s.state} ${s.counts.join(',')} ${s.completedItemCount} ${s.lastError?.message ?? ''}`);
      },
    });
    const snapshot = await poller.run();
    progress.finish();
    if (controller.signal.aborted) {
      process.stderr.write(
        `stopped watching; execution ${batch.executionId} keeps running. Follow it with: ` +
        `mlbatch status ${batch.service.name} ${batch.service.version} ${batch.executionId} --wait\n`);
    }
    return { snapshot, interrupted: controller.signal.aborted };
  } finally {
    process.off('SIGINT', onSignal);
  }
}
