import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');
// Type-only imports count too: they tie the rooms together for a reader as much as any other.
const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|cjs|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every import specifier of a file. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** The file a relative specifier names (`./x.js` is `x.ts` or `x.tsx`), or undefined. */
function resolveImport(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  const stem = base.replace(/\.(js|jsx|mjs|cjs)$/, '');
  return [base, `${stem}.ts`, `${stem}.tsx`, join(base, 'index.ts')].find((c) => existsSync(c) && statSync(c).isFile());
}

/** The room of a file: the folder directly under src/, or the file itself when directly in src/. */
function roomOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  return parts.length > 1 ? `${parts[0]}/` : parts[0];
}

/** One cycle of a directed graph as a path `a → b → … → a`, or every one found from each node. */
export function findCycles(graph: Map<string, Set<string>>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

const files = sourceFiles(SRC);
const fileGraph = new Map<string, Set<string>>();
const roomGraph = new Map<string, Set<string>>();
for (const file of files) {
  const targets = new Set<string>();
  for (const spec of importsOf(file)) {
    if (!spec.startsWith('.')) continue;
    const target = resolveImport(file, spec);
    if (target && target !== file) targets.add(target);
  }
  fileGraph.set(relative(SRC, file), new Set([...targets].map((t) => relative(SRC, t))));
  const room = roomOf(file);
  if (!roomGraph.has(room)) roomGraph.set(room, new Set());
  for (const t of targets) if (roomOf(t) !== room) roomGraph.get(room)!.add(roomOf(t));
}
const show = (cycles: string[][]) => cycles.map((c) => c.join(' → ')).join('\n');

describe('the dependency picture of src/', () => {
  it('finds a cycle where there is one, and names its path', () => {
    const g = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])], ['d', new Set(['a'])]]);
    expect(findCycles(g)).toEqual([['a', 'b', 'c', 'a']]);
    expect(findCycles(new Map([['a', new Set(['b'])], ['b', new Set<string>()]]))).toEqual([]);
  });

  it('reads the imports it checks (the app root reaches the screens, the store and the actions)', () => {
    expect(fileGraph.size).toBeGreaterThan(50);
    expect([...fileGraph.get('app.tsx')!]).toEqual(expect.arrayContaining(['actions.ts', 'store/hooks.ts', join('screens', 'ExecutionScreen.tsx')]));
  });

  it('has no file cycle', () => {
    expect(show(findCycles(fileGraph))).toBe('');
  });

  it('has no cycle between its rooms (each folder under src/, each file in src/)', () => {
    expect(show(findCycles(roomGraph))).toBe('');
  });

  /** `file imports spec` for every import of the files of `rooms` that `bad` matches. */
  const importsMatching = (rooms: string[], bad: RegExp) => files
    .filter((f) => rooms.includes(roomOf(f)))
    .flatMap((f) => importsOf(f).filter((spec) => bad.test(spec)).map((spec) => `${relative(SRC, f)} imports ${spec}`));
  /** `file imports target` for every src/ file of `rooms` that imports a file `bad` matches (relative to src/). */
  const filesImporting = (rooms: string[], bad: (target: string) => boolean) => [...fileGraph]
    .filter(([file]) => rooms.includes(roomOf(join(SRC, file))))
    .flatMap(([file, targets]) => [...targets].filter(bad).map((t) => `${file} imports ${t}`));

  it('keeps React and Ink out of the client library, its analysis and text, the pure view builders and the server', () => {
    const ui = /^(react|ink|zustand)(\/|$)|^ink-|^@inkjs\/|^@alcalzone\/ink-table/;
    expect(importsMatching(['client/', 'watch/', 'records/', 'analysis/', 'report/', 'text/', 'views/', 'server/'], ui)).toEqual([]);
  });

  it('keeps terminal widths and charts out of the client, its watching and its records', () => {
    expect(importsMatching(['client/', 'watch/', 'records/'], /^(string-width|cli-truncate|asciichart|strip-ansi)(\/|$)/)).toEqual([]);
    expect(filesImporting(['client/', 'watch/', 'records/'], (t) => t.startsWith(`report${sep}`) || t === join('text', 'cells.ts'))).toEqual([]);
  });

  it('keeps the saved login out of the client library: its hook is TokenStore, its file and lock are session/\'s', () => {
    expect(importsMatching(['client/', 'watch/'], /^(proper-lockfile|write-file-atomic)(\/|$)/)).toEqual([]);
    expect(filesImporting(['client/', 'watch/'], (t) => t.startsWith(`session${sep}`))).toEqual([]);
  });

  it('keeps text/ the lowest room: it imports nothing of src/ but itself and protocol.ts', () => {
    expect(filesImporting(['text/'], (t) => !t.startsWith(`text${sep}`) && t !== 'protocol.ts')).toEqual([]);
  });

  it('keeps screens, components and hooks out of terminal/', () => {
    expect(filesImporting(['terminal/'], (t) => /^(screens|components|hooks)[\\/]/.test(t))).toEqual([]);
  });

  it('gives each folder one job: under 3,000 lines of its own files, and a line in the README that names it', () => {
    const readme = readFileSync(resolve(SRC, '../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Architecture'), readme.indexOf('\n## ', readme.indexOf('## Architecture') + 1));
    const described = new Set([...section.matchAll(/^- `([a-z/]+\/)`/gm)].map((m) => m[1]));
    const folders = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory())
      .flatMap((e) => [relative(SRC, join(dir, e.name)).split(sep).join('/') + '/', ...folders(join(dir, e.name))]);
    const all = folders(SRC);
    expect(all.filter((f) => !described.has(f)), 'folders the README does not describe').toEqual([]);
    expect([...described].filter((f) => !all.includes(f)), 'folders the README describes that do not exist').toEqual([]);
    const big = all.map((f) => {
      const dir = join(SRC, f);
      const lines = readdirSync(dir).filter((n) => /\.(ts|tsx|cjs|py)$/.test(n) && statSync(join(dir, n)).isFile())
        .reduce((sum, n) => sum + readFileSync(join(dir, n), 'utf8').split('\n').length - 1, 0);
      return { f, lines };
    }).filter(({ lines }) => lines > 3000);
    expect(big).toEqual([]);
  });

  it('lets the server import nothing of src/ but its own folder and protocol.ts', () => {
    const offenders = [...fileGraph]
      .filter(([file]) => roomOf(join(SRC, file)) === 'server/')
      .flatMap(([file, targets]) => [...targets].filter((t) => !t.startsWith(`server${sep}`) && t !== 'protocol.ts').map((t) => `${file} imports ${t}`));
    expect(offenders).toEqual([]);
  });
});
