import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('mlbatch --help', () => {
  it('prints usage and exits 0', async () => {
    const { stdout } = await run(process.execPath, ['bin/mlbatch.js', '--help']);
    expect(stdout).toContain('Usage: mlbatch');
  });

  it('exits 2 on an unknown command', async () => {
    const err = await run(process.execPath, ['bin/mlbatch.js', 'no-such-command']).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/unknown command|too many arguments/);
  });
});
