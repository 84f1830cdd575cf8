// Benchmark: grouping the failures of a large execution, then regrouping after one poll.
// 100,000 records, 30,000 failed with 12 message patterns (numbers, ids, paths, quoted values
// vary per record), in a body scanned the way the poller scans it (results parsed on demand).
// Prints: the first grouping; a regrouping after a poll that adds 100 failures (what the app
// pays per poll while the errors screen is open); and, in the same run, a full regrouping of
// that second poll from scratch, with the ratio of the two; and the cost of reading the 30,000
// messages alone (the part no grouping avoids), as a same-run reference on a loaded machine.
// Run: npm run build && node bench/error-groups.mjs
import { ErrorGrouper, PollState, errorMessageOf } from '../dist/index.js';
import { snapshotSource } from '../dist/analysis/error-groups.js';
import { median } from './child-server.mjs';

const { scanPoll } = await import('../dist/client/poll-scan.js');

const TOTAL = 100_000;
const FAILED = 30_000;
const ADDED = 100;
const PATTERNS = [
  (i) => `value must not be negative, got -${i % 97}.5 (record id ${i})`,
  (i) => `KeyError: 'col${i % 7}' not in frame at 0x7f${(i * 2654435761 >>> 0).toString(16)}`,
  (i) => `cannot open /data/run-${i}/input.csv: No such file or directory`,
  (i) => `timeout after ${i % 60}s calling http://scorer:${8000 + (i % 9)}/score`,
  (i) => `request ${crypto.randomUUID()} refused: quota ${i % 1000} exceeded`,
  (i) => `ValueError: could not convert string to float: "${i}abc"`,
  (i) => `Traceback (most recent call last):\n  File "/srv/app/model.py", line ${i % 400}, in score\nZeroDivisionError: division by zero`,
  (i) => `record ${i}: expected 4 columns, got ${i % 4}`,
  (i) => `model checksum ${(i * 40503).toString(16).padStart(12, 'a')} does not match`,
  (i) => `out of memory after ${i * 3} MB at 2024-03-0${1 + (i % 9)}T10:${10 + (i % 50)}:00Z`,
  (i) => `input hp must be a number, got "${i % 2 ? 'NA' : 'n/a'}"`,
  (i) => `worker ${i % 16} exited with code ${i % 3 + 1}`,
];

// About 33% of the records can fail, spread over the whole execution; the first poll has 30,000
// of them failed (and the records after the last one still running), the next poll 100 more.
const canFail = (i) => (i * 7) % 10 < 3 || i % 31 === 0;

/** A poll body with the first `failures` failures in, everything before the last one finished. */
function body(failures) {
  const parts = [];
  const states = new Uint8Array(TOTAL);
  let failed = 0;
  for (let i = 0; i < TOTAL; i++) {
    if (failed >= failures) {
      states[i] = 1;
      parts.push('null');
    } else if (canFail(i)) {
      failed++;
      states[i] = 3;
      parts.push(JSON.stringify({ index: i, state: 'Failed', success: false, errorMessage: PATTERNS[i % 12](i), consoleOutput: '', outputParameters: {} }));
    } else {
      states[i] = 2;
      parts.push(JSON.stringify({ index: i, state: 'Complete', success: true, errorMessage: '', consoleOutput: '', outputParameters: { root: i } }));
    }
  }
  const poll = scanPoll(Buffer.from(`{"state":"InProgress","totalItemCount":${TOTAL},"completedItemCount":${failed},"batchExecutionResults":[${parts.join(',')}]}`));
  return { states, results: poll.lazy, failed, poll };
}

const first = body(FAILED);
const second = body(FAILED + ADDED);
console.log(`bodies: ${first.failed} then ${second.failed} failed of ${TOTAL}`);

// The floor of any grouping: reading each failed record's message from the scanned body.
const readRuns = [];
for (let r = 0; r < 7; r++) {
  const t = performance.now();
  let n = 0;
  for (let i = 0; i < TOTAL; i++) if (first.states[i] === 3) n += errorMessageOf(first.results.raw(i)).length;
  readRuns.push(performance.now() - t);
}
const firstRuns = [];
const regroupRuns = [];
const scratchRuns = [];
let groups = 0;
for (let r = 0; r < 7; r++) {
  const grouper = new ErrorGrouper();
  let t = performance.now();
  grouper.update(first.states, first.results);
  groups = grouper.groups.groups.length;
  firstRuns.push(performance.now() - t);
  t = performance.now();
  grouper.update(second.states, second.results);
  grouper.groups;
  regroupRuns.push(performance.now() - t);
  const scratch = new ErrorGrouper();
  t = performance.now();
  scratch.update(second.states, second.results);
  scratch.groups;
  scratchRuns.push(performance.now() - t);
}
const f = median(firstRuns);
const g = median(regroupRuns);
const s = median(scratchRuns);
const read = median(readRuns);
console.log(`first grouping: ${f.toFixed(1)} ms (${groups} groups; floor 200 ms); reading the messages alone ${read.toFixed(1)} ms, ratio ${(f / read).toFixed(1)}`);
console.log(`regrouping after a poll adding ${ADDED} failures: ${g.toFixed(2)} ms (floor 5 ms)`);
console.log(`same poll grouped from scratch: ${s.toFixed(1)} ms; incremental is ${(s / g).toFixed(0)}x faster`);

// What the app and `mlbatch errors` pay: results read through a poll's decoded view (each failed
// record decoded once, as the index screen decodes it), not straight from the scanned body.
const viaSnapshot = [];
for (let r = 0; r < 5; r++) {
  const state = new PollState(10);
  state.apply(first.poll, true);
  const t = performance.now();
  const grouper = new ErrorGrouper();
  grouper.update(state.items, snapshotSource({ items: state.items, result: (i) => state.result(i) }));
  grouper.groups;
  viaSnapshot.push(performance.now() - t);
}
const v = median(viaSnapshot);
console.log(`first grouping through a poll snapshot's decoded results: ${v.toFixed(1)} ms (ratio to the scanned body ${(v / f).toFixed(2)})`);
