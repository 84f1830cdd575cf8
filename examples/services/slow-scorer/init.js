// A scorer that takes its time: 10–200 ms per record, at random. About 3% of ids fail on purpose,
// always the same ones (a hash of the id), so a demo batch shows failures next to successes.
const fs = require('node:fs');

/** True for the ~3% of ids this service turns away. */
function rejected(id) {
  return (Math.imul(id, 2654435761) >>> 0) % 100 < 3;
}

function integerInput(name, value) {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (!Number.isInteger(n)) throw new Error(`input ${name} must be an integer, got ${JSON.stringify(value) ?? 'nothing'}`);
  return n;
}

function numberInput(name, value) {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`input ${name} must be a number, got ${JSON.stringify(value) ?? 'nothing'}`);
  return n;
}
