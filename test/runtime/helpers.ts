/** Test helpers: services, fresh work dirs and a pool that is closed after each test file. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ParameterDefinition } from '../../src/protocol.js';
import type { RunOutcome, Runtime, ServiceCode } from '../../src/server/runtime/types.js';

let serial = 0;
const roots: string[] = [];

/** A service version with a unique key; fields not given are empty. */
export function service(fields: Partial<ServiceCode> & { code: string }): ServiceCode {
  serial += 1;
  return {
    key: `svc-${process.pid}-${serial}`,
    name: fields.name ?? `svc${serial}`,
    version: '1.0',
    runtimeType: 'JavaScript',
    initCode: '',
    inputs: [],
    outputs: [],
    outputFileNames: [],
    ...fields,
  };
}

/** Shorthand for parameter lists: `params('hp:numeric', 'wt:numeric')`. */
export function params(...specs: string[]): ParameterDefinition[] {
  return specs.map((s) => {
    const [name, type = 'numeric'] = s.split(':');
    return { name, type: type as ParameterDefinition['type'] };
  });
}

/** A fresh empty directory, removed by `cleanup`. */
export function workDir(): string {
  if (roots.length === 0) roots.push(mkdtempSync(path.join(tmpdir(), 'mlbatch-runtime-test-')));
  return mkdtempSync(path.join(roots[0], 'rec-'));
}

/** Runs one record with a generous default timeout. */
export function runOne(
  pool: Runtime,
  svc: ServiceCode,
  inputs: Record<string, unknown> = {},
  timeoutMs = 60_000,
  dir = workDir(),
): Promise<RunOutcome & { workDir: string }> {
  return pool.run({ service: svc, inputs, workDir: dir, timeoutMs }).then((o) => ({ ...o, workDir: dir }));
}

/** Polls until `file` exists and returns its text. */
export async function waitForFile(file: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      if (text) return text;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${file} did not appear within ${timeoutMs} ms`);
}

/** Removes every directory `workDir` made. */
export function cleanup(): void {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
}

/** Root of the shipped example services. */
export const EXAMPLES = fileURLToPath(new URL('../../examples', import.meta.url));

/** Reads an example service folder the way `--services` publishes it. */
export function exampleService(folder: string): ServiceCode {
  const dir = path.join(EXAMPLES, 'services', folder);
  const spec = JSON.parse(readFileSync(path.join(dir, 'service.json'), 'utf8'));
  const ext = spec.runtime === 'Python' ? 'py' : 'js';
  const init = path.join(dir, `init.${ext}`);
  return service({
    name: spec.name,
    version: spec.version,
    runtimeType: spec.runtime,
    initCode: existsSync(init) ? readFileSync(init, 'utf8') : '',
    code: readFileSync(path.join(dir, `code.${ext}`), 'utf8'),
    inputs: spec.inputs,
    outputs: spec.outputs,
    outputFileNames: spec.artifacts,
  });
}

/** The rows of examples/records/mtcars.csv with numeric columns as numbers. */
export function mtcars(): Record<string, string | number>[] {
  const [header, ...lines] = readFileSync(path.join(EXAMPLES, 'records', 'mtcars.csv'), 'utf8').trim().split('\n');
  const cols = header.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], i === 0 ? v : Number(v)])));
}

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
