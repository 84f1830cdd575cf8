/** Lines of values in a JSON records file, found by one scan of its text, for error messages. */

/** A value two levels down: `[record, column]` in an array of records, `[column, record]` in an object of columns. */
export type ValuePath = readonly [string | number, string | number];

const key = (path: readonly (string | number)[]) => JSON.stringify(path);

/**
 * The 1-based line where each wanted value starts, and where each record of an array of
 * records starts (under the path `[record]`). One pass over the text, string and escape aware,
 * building no values: it runs only when a file already has problems to report.
 */
export function valueLines(text: string, wanted: readonly ValuePath[]): Map<string, number> {
  const want = new Set<string>();
  for (const p of wanted) {
    want.add(key(p));
    want.add(key([p[0]]));
  }
  const firsts = new Set<string | number>(wanted.map((p) => p[0]));
  const found = new Map<string, number>();
  // For each open container: its current key (object) or index (array).
  const at: (string | number | undefined)[] = [];
  const isArray: boolean[] = [];
  let depth = 0;
  let line = 1;
  let expectKey = false;
  let inToken = false;
  const onValue = () => {
    if ((depth === 1 || depth === 2) && firsts.has(at[0] as string | number)) {
      const k = key(at.slice(0, depth) as (string | number)[]);
      if (want.has(k) && !found.has(k)) found.set(k, line);
    }
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) { // a string: a key, or a value
      const start = i;
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
      inToken = false;
      if (expectKey) {
        try {
          at[depth - 1] = JSON.parse(text.slice(start, i + 1)) as string;
        } catch {
          return found;
        }
        expectKey = false;
      } else onValue();
      continue;
    }
    if (c === 123 || c === 91) { // { [
      onValue();
      at[depth] = c === 91 ? 0 : undefined;
      isArray[depth] = c === 91;
      depth++;
      expectKey = c === 123;
      inToken = false;
    } else if (c === 125 || c === 93) { // } ]
      depth--;
      inToken = false;
    } else if (c === 44) { // ,
      if (isArray[depth - 1]) (at[depth - 1] as number)++;
      else expectKey = true;
      inToken = false;
    } else if (c === 10) {
      line++;
      inToken = false;
    } else if (c === 58 || c === 32 || c === 9 || c === 13) {
      inToken = false;
    } else if (!inToken) {
      inToken = true;
      onValue();
    }
  }
  return found;
}

/**
 * Sets `line` on each problem of a JSON file that names a record and has no line yet: the line
 * of its value (an array of records or an object of columns), else of its record's start.
 */
export function addJsonLines(text: string, problems: { record?: number; column?: string; line?: number }[]): void {
  const open = problems.filter((p) => p.record !== undefined && p.line === undefined);
  if (open.length === 0) return;
  const paths = open.flatMap((p): ValuePath[] => (p.column === undefined
    ? [[p.record as number, '']] : [[p.record as number, p.column], [p.column, p.record as number]]));
  const lines = valueLines(text, paths);
  for (const p of open) {
    const record = p.record as number;
    p.line = (p.column === undefined ? undefined : lines.get(key([record, p.column])) ?? lines.get(key([p.column, record])))
      ?? lines.get(key([record]));
  }
}
