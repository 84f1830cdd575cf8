/** The host and user the connect screen offers next time (never a password or token). */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { configDir } from './config.js';

/** What the connect screen remembers. */
export interface Remembered {
  host: string;
  user: string;
}

/** Path of the remembered host file, in the same config dir as the saved login. */
export function rememberedPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'app.json');
}

/** The last host and user that connected, if any. */
export async function rememberedHost(env: NodeJS.ProcessEnv = process.env): Promise<Remembered | null> {
  try {
    const raw = JSON.parse(await readFile(rememberedPath(env), 'utf8')) as Partial<Remembered>;
    return typeof raw.host === 'string' ? { host: raw.host, user: typeof raw.user === 'string' ? raw.user : '' } : null;
  } catch {
    return null;
  }
}

/** Keeps host and user for the next start. */
export async function rememberHost(host: string, user: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const f = rememberedPath(env);
  // The login lives in the same dir: whichever file comes first creates it private.
  await mkdir(dirname(f), { recursive: true, mode: 0o700 });
  await writeFile(f, JSON.stringify({ host, user }) + '\n', { mode: 0o600 });
}
