// Password guessing against the embedded server, against the built dist/ (run `npm run build` first):
//   node bench/login-throttle.mjs
// Prints: the time for 50 wrong passwords sent one after another (and how many were checked, 401,
// or refused unchecked, 429); then how many guesses get checked in 15 s by a client that waits
// as Retry-After says, and what 50 checked guesses would take at that pace.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startServer } from '../dist/server/index.js';

const dataDir = mkdtempSync(join(tmpdir(), 'mlbatch-bench-'));
const server = await startServer({ port: 0, dataDir, adminPassword: 'right' });

async function guess(url) {
  const res = await fetch(`${url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'wrong' }),
  });
  await res.text();
  return { status: res.status, retryAfter: Number(res.headers.get('retry-after') ?? 0) };
}

const counts = { 401: 0, 429: 0 };
let t0 = performance.now();
for (let i = 0; i < 50; i++) counts[(await guess(server.url)).status]++;
console.log(`50 wrong passwords, one after another: ${(performance.now() - t0).toFixed(0)} ms; checked (401): ${counts[401]}, refused unchecked (429): ${counts[429]}`);

await server.close();
rmSync(dataDir, { recursive: true, force: true });

// A fresh server: a patient guesser that honours Retry-After.
const dir2 = mkdtempSync(join(tmpdir(), 'mlbatch-bench-'));
const patient = await startServer({ port: 0, dataDir: dir2, adminPassword: 'right' });
let checked = 0;
const waits = [];
t0 = performance.now();
while (performance.now() - t0 < 15_000) {
  const r = await guess(patient.url);
  if (r.status === 401) checked++;
  else {
    waits.push(r.retryAfter);
    await new Promise((res) => setTimeout(res, r.retryAfter * 1000));
  }
}
// The delay doubles from 1 s per failure past the fifth, up to 60 s: the rest follows from it.
let projected = 0;
for (let f = 6; f < 50; f++) projected += Math.min(2 ** (f - 6), 60);
console.log(`honouring Retry-After: ${checked} guesses checked in 15 s (waits ${waits.join(', ')} s); 50 checked guesses take at least ${(projected / 60).toFixed(0)} min`);
await patient.close();
rmSync(dir2, { recursive: true, force: true });
