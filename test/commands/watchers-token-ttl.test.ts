/**
 * Watchers that outlive many token lifetimes: 4 `status --wait` processes on one saved login
 * follow a batch of about 25 s on a server whose access tokens live 3 s (`serve --token-ttl 3`, a
 * child process), renewing through the shared file as they go. Real time is what is tested.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PASSWORD, tempDir } from '../helpers.js';
import { removeLater, serve, stopChildren } from '../server/child-server.js';
import { cli } from './cli-helpers.js';

afterAll(stopChildren);

/** Records of slow-scorer: 10-200 ms each, one at a time, about 25 s in all. */
const RECORDS = 220;

describe('watchers on a saved login and 3 s tokens', { timeout: 240_000 }, () => {
  it('4 status --wait all follow a 25 s batch to its end (exit 0), and the saved login works afterwards', async () => {
    const data = await tempDir('mlbatch-data-');
    removeLater(data);
    // Not quiet: its request log (on stderr) counts the refreshes.
    const server = await serve(['--data-dir', data, '--services', 'examples/services', '--token-ttl', '3'],
      { MLBATCH_ADMIN_PASSWORD: PASSWORD }, false, false);
    const home = await tempDir();
    const env = { XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state') };
    const login = await cli(['login', '--host', server.url, '--password-stdin'], env, `${PASSWORD}\n`);
    expect(login.code).toBe(0);
    const records = join(await tempDir(), 'slow.csv');
    await writeFile(records, `id,value\n${Array.from({ length: RECORDS }, (_, i) => `${i},${i % 7}`).join('\n')}\n`);
    const started = await cli(['run', 'slow-scorer', '1.0', '--records', records, '--parallel', '1'], env);
    expect(started.code, started.stderr).toBe(0);
    const id = started.stdout.trim();

    const t0 = Date.now();
    const watchers = await Promise.all(Array.from({ length: 4 }, () => cli(['status', 'slow-scorer', '1.0', id, '--wait', '--json'], env)));
    const seconds = (Date.now() - t0) / 1000;
    for (const w of watchers) {
      expect(w.code, w.stderr).toBe(0);
      expect(JSON.parse(w.stdout)).toMatchObject({ state: 'Complete', totalItemCount: RECORDS, completedItemCount: RECORDS });
    }
    const after = await cli(['services', '--json'], env);
    expect(after.code, after.stderr).toBe(0);

    const log = server.stderr();
    const refreshes = log.match(/ POST \/login\/refreshToken 200 /g)?.length ?? 0;
    // The batch outlived several token lifetimes, and not one refresh was refused.
    expect(seconds).toBeGreaterThan(9);
    expect(refreshes).toBeGreaterThanOrEqual(3);
    expect(log).not.toMatch(/ POST \/login\/refreshToken 401 /);
    expect(log.match(/ POST \/login 200 /g)).toHaveLength(1);
  });
});
