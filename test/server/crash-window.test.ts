import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { BatchWebServiceResult } from '../../src/protocol.js';
import { isEndedState } from '../../src/protocol.js';
import { login, removeLater, serve, stopChildren } from './child-server.js';
import { request, tempDir } from './helpers.js';
import { eventually } from '../test-clock.js';

afterAll(stopChildren);

describe('at least once, at most the records in flight again', () => {
  it('a record gives up its slot only once its result is committed: after a SIGKILL only those in flight run again', async () => {
    const dataDir = tempDir();
    const servicesDir = tempDir();
    removeLater(dataDir, servicesDir);
    const runLog = path.join(servicesDir, 'runs.log');
    writeFileSync(runLog, '');
    mkdirSync(path.join(servicesDir, 'mark'));
    writeFileSync(path.join(servicesDir, 'mark/service.json'), JSON.stringify({
      name: 'mark',
      runtime: 'JavaScript',
      inputs: [{ name: 'i', type: 'integer' }, { name: 'ms', type: 'integer' }, { name: 'log', type: 'character' }],
      outputs: [{ name: 'i', type: 'integer' }],
    }));
    writeFileSync(path.join(servicesDir, 'mark/code.js'), [
      "const fs = require('node:fs');",
      "fs.appendFileSync(log, `start ${i}\\n`);",
      'await new Promise((r) => setTimeout(r, ms));',
      "fs.appendFileSync(log, `end ${i}\\n`);",
    ].join('\n'));
    const env = { MLBATCH_ADMIN_PASSWORD: 'window-pw' };
    // More workers than the batch's parallelCount: only the execution's own limit holds it back.
    const args = ['--data-dir', dataDir, '--services', servicesDir, '--max-workers', '4'];
    const lines = () => readFileSync(runLog, 'utf8').split('\n').filter(Boolean);

    const first = await serve(args, env, false, false);
    let token = await login(first.url, 'window-pw');
    const records = Array.from({ length: 8 }, (_, i) => ({ i, ms: i < 2 ? 1500 : 10, log: runLog }));
    const start = await request<{ batchExecutionId: string }>(first.url, 'POST', '/api/mark/1.0/batch?parallelCount=2', records, token);
    const id = start.body.batchExecutionId;
    await eventually(() => lines().includes('start 0') && lines().includes('start 1'), 'records 0 and 1 to start', 30_000);

    // Hold the database's write lock: the results of records 0 and 1 cannot be committed.
    const blocker = new Database(path.join(dataDir, 'mlbatch.db'));
    blocker.exec('BEGIN IMMEDIATE');
    try {
      await eventually(() => lines().includes('end 0') && lines().includes('end 1'), 'records 0 and 1 to end', 30_000);
      await eventually(() => first.stderr().includes('could not commit'), 'a commit to be refused', 30_000);
      first.child.kill('SIGKILL');
      await first.exited;
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
    // Their slots were still taken: no further record had started.
    expect(lines()).toEqual(expect.arrayContaining(['start 0', 'start 1', 'end 0', 'end 1']));
    expect(lines()).toHaveLength(4);

    const second = await serve(args, env);
    token = await login(second.url, 'window-pw');
    let after: BatchWebServiceResult;
    do {
      await new Promise((r) => setTimeout(r, 100));
      after = (await request<BatchWebServiceResult>(second.url, 'GET', `/api/mark/1.0/batch/${id}`, undefined, token)).body;
    } while (!isEndedState(after.state));
    expect(after.state).toBe('Complete');
    expect(after.batchExecutionResults.map((r) => r?.outputParameters)).toEqual(records.map(({ i }) => ({ i })));
    const starts = lines().filter((l) => l.startsWith('start ')).map((l) => Number(l.slice(6)));
    // Every record ran; again only the two in flight at the kill (parallelCount 2).
    expect(starts.filter((i) => i < 2)).toHaveLength(4);
    expect(starts.filter((i) => i >= 2).sort()).toEqual([2, 3, 4, 5, 6, 7]);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 90_000);
});
