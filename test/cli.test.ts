import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('mlbatch --help', () => {
  it('prints usage and exits 0', async () => {
    const { stdout } = await run(process.execPath, ['bin/mlbatch.js', '--help']);
    expect(stdout).toContain('Usage: mlbatch');
    // It reads in an 80-column terminal: commands by name, descriptions wrapped beside them.
    expect(stdout.split('\n').filter((l) => l.length > 80)).toEqual([]);
    expect(stdout).toMatch(/\n {2}diff +compare two executions/);
    const diff = await run(process.execPath, ['bin/mlbatch.js', 'help', 'diff']);
    expect(diff.stdout).toContain('Usage: mlbatch diff [options] <service> <version> <id> <service2> <version2> <id2>\n       mlbatch diff [options] <id> <id2>\n');
  });

  it('exits 2 on an unknown command, in two lines and a pointer to help, with the nearest command', async () => {
    const err = await run(process.execPath, ['bin/mlbatch.js', 'no-such-command']).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr).toBe("error: unknown command 'no-such-command'\n(see 'mlbatch --help')\n");
    // (stauts is as near stats as status.)
    const typo = await run(process.execPath, ['bin/mlbatch.js', 'stattus']).catch((e) => e);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe("error: unknown command 'stattus'\n(Did you mean status?)\n(see 'mlbatch --help')\n");
    const { stdout } = await run(process.execPath, ['bin/mlbatch.js', 'help', 'status']);
    expect(stdout).toMatch(/^Usage: mlbatch status /);
  });

  it("lists the connection options in each command's help", async () => {
    const { stdout } = await run(process.execPath, ['bin/mlbatch.js', 'login', '--help']);
    expect(stdout).toMatch(/^ +--host <url> +server URL/m);
    expect(stdout).toMatch(/^ +--password-stdin +read the password/m);
  });

  it('ends quietly when the reader closes the pipe first', async () => {
    const child = spawn(process.execPath, ['bin/mlbatch.js', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // The read end is gone before anything is written: every write meets a closed pipe.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
