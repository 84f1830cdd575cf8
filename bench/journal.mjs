// Benchmark: what the journal costs a command and the app.
// remember: one execution with 100,000 records kept (gzip of ~3.6 MB of JSON), against
// JSON.stringify of the same records alone in the same run (ratio printed); records(): reading
// them back; noteState: one progress write (what a throttled poll costs at most every 10 s);
// StateNoter.note when it skips (what every poll costs); list(): 1,000 entries, newest first.
// Run: npm run build && node bench/journal.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJournal } from '../dist/journal/journal.js';
import { StateNoter } from '../dist/journal/state-noter.js';
import { median } from './child-server.mjs';

function time(fn, reps = 7) {
  const runs = [];
  for (let r = 0; r < reps; r++) {
    const t = process.hrtime.bigint();
    fn(r);
    runs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(runs);
}

const dir = mkdtempSync(join(tmpdir(), 'mlbatch-bench-journal-'));
try {
  const journal = openJournal({ path: join(dir, 'journal.sqlite') });
  const records = Array.from({ length: 100_000 }, (_, i) => ({ id: i, value: (i % 997) / 7 - 40, label: `row ${i}` }));
  const key = (i) => ({ host: 'http://127.0.0.1:12800', service: 'flaky', version: '1.0', id: `exec-${i}` });
  let sink = 0;
  const stringify = time(() => { sink += JSON.stringify(records).length; });
  const remember = time((r) => journal.remember({ ...key(r), origin: 'run', records, recordsPath: '/r.csv', recordsHash: 'x' }));
  const read = time(() => { sink += journal.records(key(0)).length; });
  const note = time(() => { for (let i = 0; i < 1000; i++) journal.noteState(key(0), { state: 'InProgress', total: 100_000, completed: i, counts: [1, 2, i, 4, 5] }); }, 3) / 1000;
  const noter = new StateNoter(journal, key(0));
  noter.note({ state: 'InProgress', total: 1, completed: 0 });
  const skip = time(() => { for (let i = 0; i < 1e6; i++) sink += noter.note({ state: 'InProgress', total: 1, completed: i }) ? 1 : 0; }, 3) / 1e6;
  for (let i = 10; i < 1010; i++) journal.remember({ ...key(i), origin: 'attach', startedAt: i });
  const list = time(() => { sink += journal.list(1000).length; });
  console.log(`remember 100,000 records (${(JSON.stringify(records).length / 1e6).toFixed(1)} MB JSON): ${remember.toFixed(0)} ms; JSON.stringify alone ${stringify.toFixed(0)} ms; ratio ${(remember / stringify).toFixed(1)}`);
  console.log(`records() back: ${read.toFixed(0)} ms`);
  console.log(`noteState: ${(note * 1000).toFixed(0)} µs a write; StateNoter.note skipping: ${(skip * 1e6).toFixed(0)} ns a poll`);
  console.log(`list(1000): ${list.toFixed(1)} ms`);
  journal.close();
  if (sink === -1) console.log(sink);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
