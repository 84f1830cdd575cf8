// Benchmark: the cost of safeText on what commands print, and of the value check on records.
// safeText: clean text (the fast path, returned as is) and hostile text, in MB/s, against a
// bare String.prototype.includes scan of the same text in the same run (ratio printed).
// valueProblem (nesting and numbers out of range): one 1,000-number vector and one 100×100 matrix, per call.
// Run: npm run build && node bench/safe-text.mjs
import { safeText, valueProblem } from '../dist/index.js';
import { median } from './child-server.mjs';

function time(fn, reps = 9) {
  const runs = [];
  for (let r = 0; r < reps; r++) {
    const t = process.hrtime.bigint();
    fn();
    runs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(runs);
}

const line = 'transmission 1.0 c2f1e0aa-77b1-4b0e Complete 32/32 done (1 failed) 漢字 🚀 ';
const clean = line.repeat(Math.ceil(8_000_000 / line.length));
const hostile = clean.replace(/done/g, 'do\u001b[2Jne\u202e');
const mb = clean.length / 1e6;

let sink = 0;
const bare = time(() => { sink += clean.includes('\u0000') ? 1 : 0; });
const fast = time(() => { sink += safeText(clean).length; });
const slow = time(() => { sink += safeText(hostile).length; });
const short = time(() => { for (let i = 0; i < 1e6; i++) sink += safeText(line).length; }, 5);
console.log(`safeText clean  ${(mb / (fast / 1e3)).toFixed(0)} MB/s (${fast.toFixed(2)} ms for ${mb.toFixed(1)} M chars); bare includes() ${bare.toFixed(2)} ms; ratio ${(fast / bare).toFixed(2)}`);
console.log(`safeText hostile ${(mb / (slow / 1e3)).toFixed(0)} MB/s (${slow.toFixed(2)} ms, ${(hostile.match(/\u001b/g) ?? []).length * 2} escapes)`);
console.log(`safeText one ${line.length}-char line: ${(short * 1e6 / 1e6).toFixed(0)} ns a call`);

const vector = Array.from({ length: 1000 }, (_, i) => i);
const matrix = Array.from({ length: 100 }, () => Array.from({ length: 100 }, (_, i) => i));
const v = time(() => { for (let i = 0; i < 10_000; i++) sink += valueProblem(vector) ? 1 : 0; }, 5);
const m = time(() => { for (let i = 0; i < 10_000; i++) sink += valueProblem(matrix) ? 1 : 0; }, 5);
console.log(`valueProblem: 1,000-number vector ${(v * 1e3 / 1e4).toFixed(1)} µs, 100x100 matrix ${(m * 1e3 / 1e4).toFixed(1)} µs a call`);
if (sink === -1) console.log(sink);
