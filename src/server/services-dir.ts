/** `--services DIR`: publishes every subfolder holding a `service.json` at start. */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RuntimeType } from '../protocol.js';
import { HttpError } from './errors.js';
import { checkNameOrVersion, checkPublish } from './service-validation.js';
import type { ServiceStore } from './services.js';

/** Code file extension per runtime. */
const EXT: Record<RuntimeType, string> = { JavaScript: 'js', Python: 'py', R: 'R', Realtime: 'js' };

/**
 * Publishes each `DIR/<folder>/service.json` (`{name, version, description, runtime, inputs,
 * outputs, artifacts}`) with its `init.<ext>` (optional) and `code.<ext>`. An existing
 * name+version is updated, so a restart with the same folder does not fail. Errors name the file.
 */
export async function publishServicesDir(dir: string, services: ServiceStore): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((err: Error) => {
    throw new Error(`--services ${dir}: ${err.message}`);
  });
  const published: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!entry.isDirectory()) continue;
    const folder = join(dir, entry.name);
    const file = join(folder, 'service.json');
    if (!existsSync(file)) continue;
    let spec: Record<string, unknown>;
    try {
      spec = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
    }
    if (!spec || typeof spec !== 'object' || Array.isArray(spec)) {
      throw new Error(`${file}: must be a JSON object`);
    }
    try {
      const name = field(spec.name, 'name');
      const version = field(spec.version ?? '1.0', 'version');
      checkNameOrVersion('name', name);
      checkNameOrVersion('version', version);
      const runtimeType = (spec.runtime ?? 'JavaScript') as RuntimeType;
      const ext = EXT[runtimeType];
      if (!ext) throw new Error(`runtime must be one of ${Object.keys(EXT).join(', ')}`);
      const codeFile = join(folder, `code.${ext}`);
      const initFile = join(folder, `init.${ext}`);
      if (!existsSync(codeFile)) throw new Error(`code.${ext} is missing beside it`);
      const request = checkPublish({
        code: await readFile(codeFile, 'utf8'),
        initCode: existsSync(initFile) ? await readFile(initFile, 'utf8') : '',
        description: spec.description,
        runtimeType,
        inputParameterDefinitions: spec.inputs,
        outputParameterDefinitions: spec.outputs,
        outputFileNames: spec.artifacts,
      });
      services.publish(name, version, request, true);
      published.push(`${name}/${version}`);
    } catch (err) {
      const msg = (err as Error).message.replace(/^inputParameterDefinitions/, 'inputs')
        .replace(/^outputParameterDefinitions/, 'outputs')
        .replace(/^outputFileNames/, 'artifacts');
      throw new Error(`${file}: ${err instanceof HttpError ? msg : (err as Error).message}`);
    }
  }
  return published;
}

function field(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`${name} must be a non-empty string`);
  return value;
}
