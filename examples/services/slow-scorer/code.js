const key = integerInput('id', id);
const x = numberInput('value', value);
const elapsedMs = 10 + Math.floor(Math.random() * 191);
await new Promise((resolve) => setTimeout(resolve, elapsedMs));
const score = Math.round(1000 / (1 + Math.exp(-x))) / 1000;
const verdict = rejected(key) ? 'rejected (this id is in the 3% that fail on purpose)' : `score ${score}`;
fs.writeFileSync('score.txt', `id ${key}, value ${x}: ${verdict}, after ${elapsedMs} ms\n`);
if (rejected(key)) throw new Error(`id ${key} is rejected: the slow scorer fails about 3% of ids on purpose`);
console.log(`scored id ${key} in ${elapsedMs} ms`);
