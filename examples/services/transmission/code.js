// Scores one car: hp and wt are bound as variables; `probability` is read back as the output.
const h = numberInput('hp', hp);
const w = numberInput('wt', wt);
const probability = manualProbability(h, w);
require('node:fs').writeFileSync('answer.csv', `hp,wt,probability\n${h},${w},${probability}\n`);
