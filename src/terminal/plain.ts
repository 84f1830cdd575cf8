/** Without a TTY there is no TUI: one plain progress line per change of the attached execution. */
import { isEndedState } from '../protocol.js';
import { safeText } from '../text/safe-text.js';
import { formatDuration, formatRate } from '../text/units.js';
import type { AppStore } from '../store/app-store.js';
import type { ExecData } from '../store/types.js';
import { execProgress } from '../views/header-lines.js';

/** `InProgress 1040/2000 complete 1004 failed 12 running 10 pending 974 canceled 0 31.2/s ETA 31s`. */
export function plainSummary(exec: ExecData): string {
  const p = execProgress(exec);
  const parts = [
    exec.state ?? 'connecting',
    `${p.finished}/${p.total}`,
    `complete ${p.complete}`,
    `failed ${p.failed}`,
    // A guessed running count is marked (`~`); one nobody knows is `?`.
    `running ${runningText(exec, p.running)}`,
    `pending ${p.pending}`,
    `canceled ${p.canceled}`,
  ];
  if (p.rate !== null) parts.push(formatRate(p.rate));
  if (p.etaMs !== null) parts.push(`ETA ${formatDuration(p.etaMs)}`);
  if (exec.lastError) parts.push(`reconnecting: ${exec.lastError}`);
  return safeText(parts.join(' '));
}

function runningText(exec: ExecData, running: number): string {
  if (exec.state !== null && isEndedState(exec.state)) return String(running);
  if (exec.runningSource === 'unknown') return '?';
  return exec.runningSource === 'inferred' ? `~${running}` : String(running);
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
        if (!last && ref) out.write(`${safeText(`execution ${ref.id} of ${ref.service} ${ref.version}`)}\n`);
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
