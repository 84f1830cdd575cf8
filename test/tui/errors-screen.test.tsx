/** The errors screen (e on an execution) and the grid's group filter, over a fake actions port. */
import { describe, expect, it } from 'vitest';
import { stateLine } from '../../src/views/header-lines.js';
import { emptyExec } from '../../src/store/app-store.js';
import { ID, renderApp, showExecution, snapshotOf, type ExecSpec } from './app-fixture.js';
import { KEYS } from './harness.js';

const ref = { service: 'flaky', version: '1.0', id: ID };
const lines = (f: string) => f.split('\n');
const sel = (f: string) => f.split('\n').find((l) => l.startsWith('cursor ')) ?? '';

/** 60 records: negatives fail at 3, 13, 23, …; a missing input at 7 and 47; the rest run or wait. */
function spec(states: string): ExecSpec {
  return {
    states,
    state: 'InProgress',
    parallelCount: 4,
    detail: (i, code) => (code === 3 ? { error: i % 10 === 3 ? `value must not be negative, got -${i} (record id ${i + 100})` : `input "value" is missing in record ${i}` } : {}),
  };
}
const codes = (upTo: number) => Array.from({ length: 60 }, (_, i) => (i >= upTo ? '.' : i % 10 === 3 || i === 7 || i === 47 ? 'X' : '#')).join('');

describe('errors screen', () => {
  it('groups the failures live, shows a sample, and Enter filters the grid to the group; Esc shows all again', async () => {
    const { h, store, actions } = renderApp({ kind: 'execution', ref }, { setup: (s) => showExecution(s, ref, spec(codes(30))) });
    await h.waitForFrame((f) => f.includes('cursor 0 '), 'the grid');
    let f = await h.press('e');
    f = await h.waitForFrame((x) => x.includes('groups · live'), 'the groups');
    expect(actions.callsOf('groupErrors')).toEqual([[ID]]);
    expect(lines(f)[0]).toBe(`Failures of flaky 1.0  ${ID}`);
    expect(f).toContain('4 failed of 60 · 2 groups · live');
    expect(f).toMatch(/>   1      3   75\.0%  value must not be negative, got <num> \(record id <num>\)/);
    expect(f).toMatch(/ {4}2      1   25\.0%  input <str> is missing in record <num>/);
    expect(f).toContain('indices 3, 13, 23');
    expect(f).toContain('value must not be negative, got -3 (record id 103)');
    f = await h.press('j');
    expect(f).toContain('indices 7\n');
    expect(f).toContain('input "value" is missing in record 7');

    // A poll brings more failures: the groups follow without a key.
    store.getState().applyPoll(snapshotOf(spec(codes(60))));
    actions.regroup();
    f = await h.waitForFrame((x) => x.includes('8 failed of 60'), 'the regrouped failures');
    expect(f).toMatch(/> {3}2      2   25\.0%  input <str>/);

    // Enter: back on the grid, showing group 2 only (7 and 47), the state filter still cycling on top.
    f = await h.press(KEYS.enter);
    f = await h.waitForFrame((x) => x.startsWith('flaky 1.0'), 'the execution screen');
    expect(lines(f)[0]).toContain('[group 2]');
    expect(f).toContain('Group 2 only: 2 records (Esc shows every record)');
    expect(sel(f)).toMatch(/^cursor 7 /);
    expect(sel(await h.press('l'))).toMatch(/^cursor 47 /);
    // f cycles the state filter (Failed first) on top: the group's records are all failures.
    f = await h.press('f');
    expect(lines(f)[0]).toContain('[Failed|group 2]');
    expect(sel(f)).toMatch(/^cursor 7 /);
    await h.press('f');
    f = await h.press('f');
    // No record of the group is pending.
    expect(lines(f)[0]).toContain('[Pending|group 2]');
    expect(sel(f)).toBe('');
    expect(f).toContain('no record matches');
    await h.press('f');
    await h.press('f');
    await h.press('f');
    f = await h.press('f');
    expect(lines(f)[0]).toContain('[Failed|group 2]');
    expect(sel(f)).toMatch(/^cursor 7 /);
    // Esc drops the group filter first (the state filter stays), and does not leave the screen.
    f = await h.press(KEYS.escape);
    expect(lines(f)[0]).toContain('[Failed]');
    expect(f).toContain('Every record shown');
    expect(sel(f)).toMatch(/^cursor 3 /);
    h.unmount();
  });

  it('says when nothing has failed yet', async () => {
    const { h } = renderApp({ kind: 'execution', ref }, { setup: (s) => showExecution(s, ref, spec('##...')) });
    await h.waitForFrame((f) => f.includes('cursor 0 '), 'the grid');
    await h.press('e');
    const f = await h.waitForFrame((x) => x.includes('No record has failed yet.'), 'the empty list');
    expect(f).toContain('0 failed of 5 · 0 groups · live');
    h.unmount();
  });
});

describe('stall notice in the header', () => {
  it('says "stalled" and for how long since the last finish, in red with colour and in words without', () => {
    const exec = { ...emptyExec(ref, 4), state: 'InProgress' as const, total: 10, startedAt: 0, lastGoodPollAt: 200_000, stalledSince: 75_000 };
    expect(stateLine(exec, 200_000, false)).toMatch(/^InProgress · stalled 2m05s · parallel 4/);
    expect(stateLine(exec, 200_000, true)).toContain('\x1b[1;31mstalled 2m05s');
    expect(stateLine({ ...exec, stalledSince: null }, 200_000, false)).not.toContain('stalled');
    expect(stateLine({ ...exec, state: 'Complete' }, 200_000, false)).not.toContain('stalled');
  });
});
