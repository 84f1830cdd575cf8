// A 100,000-record execution of the slow scorer as the app holds it after a full poll: a real
// scanned body in a real PollState, so each record the stats screen reads is decoded as in the app.
import { scanPoll } from '../dist/client/poll-scan.js';
import { PollState } from '../dist/watch/poll-state.js';
import { detailOf } from '../dist/controller/poll-detail.js';

const OUTPUTS = [{ name: 'score', type: 'numeric' }, { name: 'elapsedMs', type: 'integer' }];

/** Every record finished (3% failed), with start and end times and both outputs; `detail` as the controller gives it. */
export function finishedExecution(n, seed = 7) {
  let a = seed;
  const rand = () => ((a = (a * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const t0 = Date.UTC(2024, 0, 1);
  const items = new Array(n);
  for (let i = 0; i < n; i++) {
    const elapsedMs = 10 + Math.floor(rand() * 191);
    const start = t0 + Math.floor(i / 10) * 105 + Math.floor(rand() * 10);
    const failed = rand() < 0.03;
    items[i] = {
      index: i, state: failed ? 'Failed' : 'Complete', success: !failed, errorMessage: failed ? `id ${i + 1} is rejected` : '',
      consoleOutput: `scored id ${i + 1} in ${elapsedMs} ms`, changedFiles: [],
      outputParameters: failed ? {} : { score: Math.round(1000 / (1 + Math.exp(-rand() * 4 + 2))) / 1000, elapsedMs },
      outputFiles: {}, startTime: new Date(start).toISOString(), endTime: new Date(start + elapsedMs).toISOString(),
    };
  }
  const body = Buffer.from(JSON.stringify({ state: 'Complete', totalItemCount: n, completedItemCount: n, batchExecutionResults: items }));
  const state = new PollState(10, OUTPUTS);
  state.apply(scanPoll(body), true);
  const snap = { items: state.items, result: (i) => state.result(i) };
  return { codes: state.items, detail: (i) => detailOf(snap, i) };
}
