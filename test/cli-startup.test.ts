import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const BUNDLE = join(ROOT, 'dist', 'bundle');
let dir = '';

// A module hook that logs the URL of every module the process loads (one per line) to $MODULE_LOG.
const HOOKS = `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const found = await next(specifier, context);
  appendFileSync(log, found.url + '\\n');
  return found;
}
`;
const REGISTER = `import { register } from 'node:module';
register('./hooks.mjs', import.meta.url, { data: { log: process.env.MODULE_LOG } });
`;

interface Run {
  code: number;
  stderr: string;
  /** Loaded modules: paths under the checkout (`dist/cli.js`), packages as `node_modules/<name>/…`. */
  modules: string[];
}

/** Runs the built CLI with the logging hook; resolves to its exit code, stderr and the modules it loaded. */
function traced(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const log = join(dir, `modules-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(log, '');
  return new Promise((done) => {
    execFile(process.execPath, ['--import', join(dir, 'register.mjs'), 'bin/mlbatch.js', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: join(dir, 'home'), XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data'), NO_COLOR: '1', MODULE_LOG: log, ...env },
    }, (err, _stdout, stderr) => {
      const urls = readFileSync(log, 'utf8').split('\n').filter((u) => u.startsWith('file:'));
      const modules = [...new Set(urls.flatMap((u) => {
        const path = fileURLToPath(u);
        // A file of the bundle holds modules, each under a comment naming it (`// dist/cli.js`).
        if (path.startsWith(BUNDLE)) return [...readFileSync(path, 'utf8').matchAll(/^\/\/ ((?:dist|node_modules)\/\S+)$/gm)].map((m) => m[1]);
        // node_modules is a link to a shared install: name a package by what follows node_modules/.
        const at = path.lastIndexOf('/node_modules/');
        return [at >= 0 ? path.slice(at + 1) : relative(ROOT, path)];
      }))];
      done({ code: err ? Number(err.code) : 0, stderr, modules });
    });
  });
}

/** The modules of `run` that match any of `patterns`. */
const matching = (run: Run, patterns: RegExp[]) => run.modules.filter((m) => patterns.some((p) => p.test(m)));

// Registering `serve` needs its own file and the option limits its flags are checked against
// (light: node:os and protocol.ts); nothing else of the server.
const SERVE_REGISTRATION = /^dist\/server\/(serve-command|options)\.js$/;
const SERVER = /^dist\/server\/|^node_modules\/(fastify|@fastify)\//;
// The folders of src/ that `--version` and help never need (held to src/ below, so a renamed folder cannot slip out).
const HEAVY_FOLDERS = ['client', 'watch', 'records', 'analysis', 'report', 'text', 'journal', 'controller', 'store', 'screens', 'components', 'hooks', 'views'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlbatch-startup-'));
  writeFileSync(join(dir, 'hooks.mjs'), HOOKS);
  writeFileSync(join(dir, 'register.mjs'), REGISTER);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mlbatch start-up', () => {
  it('names only folders src/ has', () => {
    for (const folder of [...HEAVY_FOLDERS, 'analysis', 'report', 'records', 'client', 'journal', 'commands', 'text']) expect(existsSync(join('src', folder)), folder).toBe(true);
  });

  it('prints its version and a command\'s help without loading the client, the journal, the server or the UI', async () => {
    const runs = await Promise.all([traced(['--version']), traced(['help', 'status'])]);
    for (const run of runs) {
      expect(run.code).toBe(0);
      // The hook saw the program being built.
      expect(run.modules).toEqual(expect.arrayContaining(['dist/cli.js', 'dist/commands/execution.js', 'node_modules/commander/lib/command.js']));
      const heavy = matching(run, [
        new RegExp(`^dist/(${HEAVY_FOLDERS.join('|')})/`), SERVER, /-action\.js$/,
        /^node_modules\/(better-sqlite3|ofetch|node-fetch-native|ink|react|csv-parse|asciichart|string-width|cli-truncate)\//,
      ]).filter((m) => !SERVE_REGISTRATION.test(m));
      expect(heavy).toEqual([]);
    }
  });

  it('loads status and the client for a status against a host that is down, but no diff, stats, charts, tables or server', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    const run = await traced(['status', 'svc', '1.0', 'some-id', '--host', `http://127.0.0.1:${port}`], { MLBATCH_PASSWORD: 'pw' });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(`cannot connect to http://127.0.0.1:${port}`);
    expect(run.modules).toEqual(expect.arrayContaining(['dist/commands/status-action.js', 'dist/client/client.js']));
    const unused = matching(run, [
      // records-error.js is apart from the readers so that an exit code can be told without them.
      /^dist\/(analysis|report)\//, /^dist\/records\/(?!records-error\.js$)/, /^dist\/client\/bulk-download\.js$/,
      /^dist\/journal\/merged\.js$/, /^dist\/commands\/(?!status-action)[a-z-]+-action\.js$/, SERVER,
      /^node_modules\/(asciichart|csv-parse|ink|react)\//,
      // status prints no table: the display-width code and its Unicode tables stay unloaded.
      /^dist\/text\/cells\.js$/, /^node_modules\/(string-width|cli-truncate|slice-ansi)\//,
    ]).filter((m) => !SERVE_REGISTRATION.test(m));
    expect(unused).toEqual([]);
  });
});
