/**
 * The command bin/mlbatch.js runs, bundled from tsc's output (dist/) into dist/bundle/: a few
 * files instead of over 700 modules (ink alone loads over 500, most of them es-toolkit's), so a
 * process starts without resolving, reading and linking each one. Measured with
 * bench/cli-startup.mjs against the same code unbundled: a plain two-record demo falls from 1.5
 * to 0.6 s of CPU, `mlbatch serve` to listening from 0.44 to 0.33 s, `services --json` from 0.32
 * to 0.25 s.
 * Commands, the app and the server stay in chunks of their own, loaded when used.
 *
 * dist/ itself stays as tsc writes it: it is the package's library entry (dist/index.js).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const inkBuild = path.dirname(require.resolve('ink'));
const inkVersion = JSON.parse(readFileSync(path.join(inkBuild, '..', 'package.json'), 'utf8')).version;
const inkPrivate = path.join(root, 'dist', 'terminal', 'ink-private.js');
// ofetch's Node build uses the global fetch when there is one (always, from Node 18) yet first loads
// node-fetch-native, a 112 kB fallback it never uses then; its universal build is the same code
// without it.
const ofetchUniversal = path.join(path.dirname(require.resolve('ofetch/package.json')), 'dist', 'index.mjs');

// dist/terminal/ink-private.js loads ink's private modules from node_modules at run time: in the
// bundle those would be second copies, not the ones the bundled ink draws with. This stand-in
// imports the same files into the bundle instead (ink's package exports only its entry, hence
// the absolute paths), with the same exports.
const inkPrivateInBundle = `
const files = {
  'output.js': () => import(${JSON.stringify(path.join(inkBuild, 'output.js'))}),
  'log-update.js': () => import(${JSON.stringify(path.join(inkBuild, 'log-update.js'))}),
};
export async function loadInkModule(file) {
  const load = files[file];
  if (!load) throw new Error('no such ink module in the bundle: ' + file);
  return { module: await load(), version: ${JSON.stringify(inkVersion)} };
}
// The tokenizer bundled here is the one the unbundled tests check (ink-output.test.ts).
export function loadTokenizer() {
  return import('@alcalzone/ansi-tokenize');
}
`;

export default {
  input: { cli: path.join(root, 'dist', 'cli.js') },
  platform: 'node',
  // A native addon, and a CommonJS module that names its own file (`__filename`, which an ES-module
  // bundle has not): loaded from node_modules as they are.
  external: ['better-sqlite3', 'write-file-atomic'],
  // React's production build, as the app runs it (it sets NODE_ENV before loading ink).
  transform: { define: { 'process.env.NODE_ENV': '"production"' } },
  plugins: [
    {
      name: 'mlbatch-bundle',
      resolveId(source) {
        return source === 'ofetch' ? ofetchUniversal : null;
      },
      load(id) {
        return id === inkPrivate ? inkPrivateInBundle : null;
      },
    },
  ],
  output: {
    dir: path.join(root, 'dist', 'bundle'),
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    // Chunk names carry a hash: without this, each build would leave the last one's behind.
    cleanDir: true,
  },
};
