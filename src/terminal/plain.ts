/** Without a TTY there is no TUI: one plain progress line per change of the attached execution. */
import { ITEM_CODE, isEndedState } from '../protocol.js';
import type { AppStore } from '../store/app-store.js';
import type { ExecData } from '../store/types.js';
import { formatRate } from '../components/format.js';

/** `InProgress 1040/2000 complete 1004 failed 12 running 10 pending 974 canceled 0 31.2/s`. */
export function plainSummary(exec: ExecData): string {
  const c = exec.counts;
  const finished = Math.min(exec.total, Math.max(exec.completed, c[ITEM_CODE.Complete] + c[ITEM_CODE.Failed] + c[ITEM_CODE.Canceled]));
  const parts = [
    exec.state ?? 'connecting',
    `${finished}/${exec.total}`,
    `complete ${c[ITEM_CODE.Complete]}`,
    `failed ${c[ITEM_CODE.Failed]}`,
    `running ${c[ITEM_CODE.Running]}`,
    `pending ${c[ITEM_CODE.Pending]}`,
    `canceled ${c[ITEM_CODE.Canceled]}`,
  ];
  if (exec.state && !isEndedState(exec.state)) parts.push(formatRate(exec.throughput));
  if (exec.lastError) parts.push(`reconnecting: ${exec.lastError}`);
  return parts.join(' ');
}

/**
 * Prints a line whenever the summary changes (never a redraw) until the execution ends or
 * `signal` aborts; resolves to the final execution data.
 */
export function printPlainProgress(
  store: AppStore,
  out: NodeJS.WritableStream,
  signal: AbortSignal,
): Promise<ExecData> {
  return new Promise((resolve) => {
    let last = '';
    const check = () => {
      const { exec } = store.getState();
      const ref = exec.ref;
      const line = plainSummary(exec);
      if (line !== last && exec.state !== null) {
        if (!last && ref) out.write(`execution ${ref.id} of ${ref.service} ${ref.version}\n`);
        last = line;
        out.write(line + '\n');
      }
      if (exec.state && isEndedState(exec.state)) finish();
    };
    const unsubscribe = store.subscribe(check);
    const finish = () => {
      unsubscribe();
      signal.removeEventListener('abort', finish);
      resolve(store.getState().exec);
    };
    signal.addEventListener('abort', finish);
    check();
  });
}
