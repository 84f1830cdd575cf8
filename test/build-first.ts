/**
 * Vitest's global setup: the tests that run the CLI run the build (bin/mlbatch.js loads
 * dist/bundle/), so a build older than any source file is rebuilt before any test starts, and a
 * `vitest run` after an edit never tests yesterday's code.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const BUILT = join(ROOT, 'dist', 'bundle', 'cli.js');

/** The newest modification time of the files under `dir`, in ms. */
function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }, 0);
}

/** The build's age against its inputs: true when it is missing or older than one of them. */
export function buildIsStale(): boolean {
  let built: number;
  try {
    built = statSync(BUILT).mtimeMs;
  } catch {
    return true;
  }
  const inputs = [join(ROOT, 'src'), join(ROOT, 'rolldown.config.mjs'), join(ROOT, 'tsconfig.json'), join(ROOT, 'package-lock.json')];
  return inputs.some((input) => (statSync(input).isDirectory() ? newest(input) : statSync(input).mtimeMs) > built);
}

export default function setup(): void {
  if (!buildIsStale()) return;
  process.stderr.write('dist/ is older than src/: building first (npm run build)\n');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}
