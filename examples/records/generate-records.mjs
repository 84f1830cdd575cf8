#!/usr/bin/env node
// Writes the records file of the slow-scorer and flaky examples: `id,value,group` rows from a
// seeded generator, so every run (and every machine) gets the same file.
//   node examples/records/generate-records.mjs [count=10000] [out=scores-<count>.csv beside this script]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** mulberry32: a small seeded PRNG, good enough for example data. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The first `count` records as objects `{id, value, group}`; value ~ Normal(1, 0.6), 3 decimals. */
export function generateRecords(count, seed = 12800) {
  const rand = prng(seed);
  const groups = ['north', 'south', 'east', 'west'];
  return Array.from({ length: count }, (_, i) => {
    const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    return { id: i + 1, value: Math.round((1 + 0.6 * z) * 1000) / 1000, group: groups[Math.floor(rand() * 4)] };
  });
}

/** The records as CSV text with a header line. */
export function recordsCsv(count, seed) {
  const rows = generateRecords(count, seed).map((r) => `${r.id},${r.value},${r.group}`);
  return `id,value,group\n${rows.join('\n')}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const count = Number(process.argv[2] ?? 10_000);
  if (!Number.isInteger(count) || count < 1) {
    console.error(`generate-records: count must be a positive integer, got ${process.argv[2]}`);
    process.exit(2);
  }
  const out = process.argv[3] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), `scores-${count}.csv`);
  writeFileSync(out, recordsCsv(count));
  console.log(`wrote ${count} records to ${out}`);
}
