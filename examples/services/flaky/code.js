const x = numberInput('value', value);
if (x < 0) throw new Error(`value must not be negative, got ${x} (record id ${id})`);
const root = Math.sqrt(x);
