import { describe, expect, it } from 'vitest';
import { scanPoll } from '../../src/client/poll-scan.js';
import { comparisonOf } from '../../src/controller/compare.js';
import type { ExecRef } from '../../src/store/types.js';
import { renderApp, serviceNamed } from './app-fixture.js';
import { KEYS } from './harness.js';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';
const v1 = serviceNamed('flaky');
const v2 = { ...v1, version: '2.0' };

const ok = (root: unknown) => ({ success: true, errorMessage: '', outputParameters: { root }, state: 'Complete' });
const failed = (message: string) => ({ success: false, errorMessage: message, outputParameters: {}, state: 'Failed' });
const poll = (results: unknown[]) =>
  scanPoll(Buffer.from(JSON.stringify({ state: 'Complete', totalItemCount: results.length, completedItemCount: results.length, batchExecutionResults: results })))!;

// flaky 1.0 against 2.0 on values 4, -1, 1, 2.25, 0.5, 9: 0, 3 and 5 differ, 1 fails in A only.
const RESULTS_A = [ok(2), failed('negative: -1\u001b[2J'), ok(1), ok(1.5), ok(Math.SQRT1_2), ok(3)];
const RESULTS_B = [ok(Math.SQRT2), ok(0), ok(1), ok(Math.SQRT2), ok(Math.SQRT1_2), ok(Math.SQRT2)];
const INPUTS = [4, -1, 1, 2.25, 0.5, 9].map((value, id) => ({ id, value }));

describe('comparing two executions', () => {
  it('m marks, x compares; the summary, the indices that differ, and one index side by side at 80×24', async () => {
    const { h, store, actions } = renderApp({ kind: 'executions', service: v1 });
    actions.executions = [{ id: A, state: 'Complete', total: 6, completed: 6 }];
    actions.comparison = (a: ExecRef, b: ExecRef) => comparisonOf(a, poll(RESULTS_A), b, poll(RESULTS_B), { outputOrder: ['root'], inputsA: INPUTS });
    let f = await h.waitForFrame((x) => x.includes(A), 'the executions of 1.0');
    // Nothing marked yet: x says what to do first.
    f = await h.press('x');
    expect(f).toContain('No execution is marked: m marks the one to compare with');
    expect(f).not.toMatch(/x compare/);
    f = await h.press('m');
    expect(f).toMatch(new RegExp(`^>[◆*]${A}`, 'm'));
    expect(f).toContain(`Marked ${A}: x compares another with it`);
    expect(store.getState().mark).toEqual({ service: 'flaky', version: '1.0', id: A });

    // The executions of 2.0: x compares the selected one with the mark.
    actions.executions = [{ id: B, state: 'Complete', total: 6, completed: 6 }];
    store.getState().push({ kind: 'executions', service: v2 });
    f = await h.waitForFrame((x) => x.includes(B), 'the executions of 2.0');
    expect(f).toMatch(/x compare/);
    await h.press('x');
    f = await h.waitForFrame((x) => x.includes('Not equal (4)'), 'the comparison');
    const lines = f.split('\n');
    expect(lines[0]).toBe('A flaky 1.0 aaaaaaaa…  B flaky 2.0 bbbbbbbb…');
    expect(lines[1]).toBe('6 compared: 2 equal, 3 different, 1 failed in one only, 0 failed in both');
    expect(f).toMatch(/│ root +│ 3 +│ 1\.59 +│ 5: 3 → 1\.41421 \(Δ 1\.59\); 0: 2 → 1\.41421 \(Δ 0\.5… │/);
    const rows = lines.filter((l) => /^[> ] +\d+  /.test(l));
    expect(rows.map((l) => l.slice(1).trim().split(/\s{2,}/).slice(0, 2))).toEqual([
      ['0', 'different'], ['1', 'failed in A only'], ['3', 'different'], ['5', 'different'],
    ]);
    expect(rows[0].startsWith('>')).toBe(true);
    expect(rows[0]).toContain('root: 2 → 1.41421 (Δ 0.586)');
    // Server text reaches the screen escaped.
    expect(rows[1]).toMatch(/failed in A only  negative: -1\\u001b\[2J$/);
    expect(actions.callsOf('loadComparison')).toEqual([[A, B]]);

    // Enter on index 1: both sides, with the error of A and the inputs known for A.
    await h.press('j');
    f = await h.press(KEYS.enter);
    expect(f.split('\n')[0]).toMatch(/^Index 1: failed in A only \(2 of 4 not equal\)/);
    expect(f).toContain('inputs   id=1  value=-1');
    expect(f).toContain('state    A Failed   B Complete');
    expect(f).toMatch(/│ root +│ \(missing\) +│ 0 +│ missing in A +│/);
    expect(f).toContain('error A  negative: -1\\u001b[2J\n');
    expect(f).toContain('error B  —');
    // → goes to the next index that is not equal.
    f = await h.press('l');
    expect(f.split('\n')[0]).toMatch(/^Index 3: different \(3 of 4 not equal\)/);
    expect(f).toMatch(/│ root +│ 1\.5 +│ 1\.41421 +│ 0\.0858 +│/);
    expect(f).toContain('state    A Complete   B Complete');

    // Back to the list: the comparison was kept (not loaded again); leaving it releases it.
    f = await h.press('q');
    expect(f).toContain('Not equal (4)');
    expect(actions.callsOf('loadComparison')).toHaveLength(1);
    expect(actions.callsOf('release')).not.toContainEqual(['compare']);
    f = await h.press('q');
    expect(f).toContain(`Executions of flaky 2.0`);
    expect(actions.callsOf('release')).toContainEqual(['compare']);
    expect(store.getState().resources.compare.status).toBe('idle');
    h.unmount();
  });

  it('draws in ASCII outside a UTF-8 locale', async () => {
    const saved = process.env.LC_ALL;
    process.env.LC_ALL = 'C';
    try {
      const a = { service: 'flaky', version: '1.0', id: A };
      const b = { service: 'flaky', version: '2.0', id: B };
      const { h } = renderApp({ kind: 'compare', a, b }, { setup: (_s, fake) => (fake.comparison = (x, y) => comparisonOf(x, poll(RESULTS_A), y, poll(RESULTS_B))) });
      const f = await h.waitForFrame((x) => x.includes('Not equal (4)'), 'the comparison');
      expect(f).toMatch(/^\| output \| different \| max diff \| largest \(index: A -> B\) +\|$/m);
      expect(f).toContain('root: 2 -> 1.41421 (diff 0.586)');
      expect(f).not.toMatch(/[→Δ│─]/);
      h.unmount();
    } finally {
      if (saved === undefined) delete process.env.LC_ALL;
      else process.env.LC_ALL = saved;
    }
  });

  it('says when the sizes differ and when the comparison failed', async () => {
    const a = { service: 'flaky', version: '1.0', id: A };
    const b = { service: 'flaky', version: '2.0', id: B };
    const { h, actions } = renderApp({ kind: 'compare', a, b }, {
      setup: (_s, fake) => (fake.comparison = (x, y) => comparisonOf(x, poll(RESULTS_A), y, poll(RESULTS_A.slice(0, 4)))),
    });
    let f = await h.waitForFrame((x) => x.includes('Not equal'), 'the comparison');
    expect(f).toContain('4 compared: 3 equal, 0 different, 0 failed in one only, 1 failed in both\nSizes differ (A 6, B 4): 2 only in one, not compared');
    expect(f).toMatch(/^ +5  only in A/m);
    h.unmount();

    const failing = renderApp({ kind: 'compare', a, b }, { setup: (_s, fake) => (fake.comparison = () => new Error('execution not found')) });
    f = await failing.h.waitForFrame((x) => x.includes('The comparison failed'), 'the failure');
    expect(actions.callsOf('loadComparison')).toHaveLength(1);
    failing.h.unmount();
  });
});
