/** `mlbatch login` on a terminal asks for the password without echoing it. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawn } from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedServer, PASSWORD, tempDir } from '../helpers.js';

let server: Awaited<ReturnType<typeof embeddedServer>>;
beforeAll(async () => {
  server = await embeddedServer();
});
afterAll(async () => server?.close());

describe('mlbatch login in a terminal', () => {
  it('prompts, hides the password, and saves the login', async () => {
    const config = await tempDir();
    const state = await tempDir();
    const term = spawn(process.execPath, ['bin/mlbatch.js', 'login', '--host', server.url], {
      cols: 80, rows: 24, cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', XDG_CONFIG_HOME: config, XDG_STATE_HOME: state, NO_COLOR: '1' },
    });
    let output = '';
    term.onData((d) => {
      output += d;
    });
    const exited = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
    const deadline = Date.now() + 20_000;
    while (!output.includes('password for admin at') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(output).toContain(`password for admin at ${server.url}: `);
    term.write(`${PASSWORD}\r`);
    expect(await exited).toBe(0);
    expect(output).not.toContain(PASSWORD);
    expect(output).toMatch(/logged in to .* as admin; saved to/);
    const saved = JSON.parse(await readFile(join(state, 'mlbatch', 'logins', `127.0.0.1-${new URL(server.url).port}.json`), 'utf8'));
    expect(saved.host).toBe(server.url);
    expect(JSON.stringify(saved)).not.toContain(PASSWORD);
  });
});
