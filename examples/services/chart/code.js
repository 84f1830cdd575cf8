const values = {
  mpg: numberInput('mpg', mpg),
  hp: numberInput('hp', hp),
  wt: numberInput('wt', wt),
  qsec: numberInput('qsec', qsec),
};
const title = `${model ?? 'car'}: ${values.mpg} mpg, ${values.hp} hp, ${values.wt}k lbs, ${values.qsec} s`;
const png = drawPng(values);
fs.writeFileSync('chart.png', png);
fs.writeFileSync('chart.svg', drawSvg(title, values));
fs.writeFileSync('summary.json', `${JSON.stringify({ model, ...values, bars: bars(values).map(({ name, value, share }) => ({ name, value, share })) }, null, 2)}\n`);
const pngBytes = png.length;
