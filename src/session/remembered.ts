/** The host and user the connect screen offers next time (never a password or token). */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** What the connect screen remembers. */
export interface Remembered {
  host: string;
  user: string;
}

function file(): string {
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'mlbatch', 'app.json');
}

/** The last host and user that connected, if any. */
export async function rememberedHost(): Promise<Remembered | null> {
  try {
    const raw = JSON.parse(await readFile(file(), 'utf8')) as Partial<Remembered>;
    return typeof raw.host === 'string' ? { host: raw.host, user: typeof raw.user === 'string' ? raw.user : '' } : null;
  } catch {
    return null;
  }
}

/** Keeps host and user for the next start. */
export async function rememberHost(host: string, user: string): Promise<void> {
  const f = file();
  await mkdir(dirname(f), { recursive: true });
  await writeFile(f, JSON.stringify({ host, user }) + '\n', { mode: 0o600 });
}
