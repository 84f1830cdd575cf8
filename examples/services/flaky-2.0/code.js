const x = numberInput('value', value);
// 2.0 clamps the value to [0, 2]: a negative value no longer fails (its root is 0), and a value
// above 2 gives the root of 2. Everything else is as in 1.0.
const root = Math.sqrt(Math.min(2, Math.max(0, x)));
