/** Runs the built CLI (`node bin/mlbatch.js`) as a child process, the way a script would. */
import { spawn } from 'node:child_process';

/** What a CLI run produced. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `mlbatch args` with `env` added to a clean environment; `input` is piped to stdin. */
export function cli(args: string[], env: Record<string, string | undefined> = {}, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const base: Record<string, string | undefined> = {
      PATH: process.env.PATH, HOME: process.env.HOME, XDG_DATA_HOME: process.env.XDG_DATA_HOME, XDG_STATE_HOME: process.env.XDG_STATE_HOME, NO_COLOR: '1',
    };
    const child = spawn(process.execPath, ['bin/mlbatch.js', ...args], {
      env: { ...base, ...env } as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}
