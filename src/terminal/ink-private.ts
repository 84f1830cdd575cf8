/**
 * ink's private modules, which the terminal's patches (ink-output.ts, ink-stdout.ts) reach. ink
 * exports only its entry, so they are loaded by file URL from ink's own directory: the same
 * instances ink uses. The bundle bin/mlbatch.js runs (rolldown.config.mjs) holds its own copy of
 * ink, so there this module is replaced by one that imports the same files from the bundle.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** An SGR code as ink's tokenizer gives it. */
export interface Code {
  type: 'ansi';
  code: string;
  endCode: string;
}
/** ink's tokenizer (@alcalzone/ansi-tokenize), the copy ink itself uses. */
export interface Tokenizer {
  tokenize(text: string): Code[];
  reduceAnsiCodesIncremental(codes: Code[], newCodes: Code[]): Code[];
  diffAnsiCodes(from: Code[], to: Code[]): Code[];
  ansiCodesToString(codes: Code[]): string;
}

/** The functions ink-output.ts uses from the tokenizer. */
const TOKENIZER_FUNCTIONS = ['tokenize', 'reduceAnsiCodesIncremental', 'diffAnsiCodes', 'ansiCodesToString'] as const;

/** ink's entry point. */
const inkEntry = () => createRequire(import.meta.url).resolve('ink');

/** The installed ink's version and one of its modules (by file name under ink's build directory). */
export async function loadInkModule<T>(file: 'output.js' | 'log-update.js'): Promise<{ module: T; version: string | undefined }> {
  const dir = path.dirname(inkEntry());
  const pkg = createRequire(import.meta.url)(path.join(dir, '..', 'package.json')) as { version?: string };
  const module = (await import(pathToFileURL(path.join(dir, file)).href)) as T;
  return { module, version: pkg.version };
}

/** The tokenizer ink imports, found from ink's own directory (it exports only an ES module entry). */
export async function loadTokenizer(): Promise<Tokenizer> {
  const fromInk = createRequire(inkEntry());
  const pkgPath = fromInk.resolve('@alcalzone/ansi-tokenize/package.json');
  const pkg = fromInk(pkgPath) as { exports?: { '.'?: { import?: string } } };
  const entry = pkg.exports?.['.']?.import;
  if (!entry) throw new Error('@alcalzone/ansi-tokenize has no ES module entry');
  const module = (await import(pathToFileURL(path.join(path.dirname(pkgPath), entry)).href)) as Partial<Tokenizer>;
  for (const name of TOKENIZER_FUNCTIONS) {
    if (typeof module[name] !== 'function') throw new Error(`@alcalzone/ansi-tokenize has no ${name}`);
  }
  return module as Tokenizer;
}
