import { describe, expect, it } from 'vitest';
import { ID, renderApp, showExecution } from './app-fixture.js';
import { KEYS } from './harness.js';

const ref = { service: 'chart', version: '1.0', id: ID };
const RECORDS = [
  { model: 'Mazda RX4', mpg: 21, hp: 110, wt: 2.62, qsec: 16.46 },
  { model: 'Datsun 710', mpg: 22.8, hp: 93, wt: 2.32, qsec: 18.61 },
];
/** The status line (just above the hint bar) and the hint bar of an index screen. */
const statusOf = (f: string) => f.split('\n')[f.split('\n').findIndex((l) => l.startsWith('q back')) - 1];
const hintsOf = (f: string) => f.split('\n').find((l) => l.startsWith('q back')) ?? '';
const SUMMARY = JSON.stringify({ model: 'Datsun 710', mpg: 22.8 }, null, 2);

describe('index screen with several artifacts', () => {
  it('lists the artifacts, refuses to page a binary one, pages text, downloads all of the index, and shows the downloads', async () => {
    const chart = {
      states: '##',
      state: 'Complete' as const,
      parallelCount: 2,
      detail: (i: number) => ({ inputs: RECORDS[i], outputs: { title: `${RECORDS[i].model}: ${RECORDS[i].mpg} mpg`, pngBytes: 1234 } }),
    };
    const { h, actions } = renderApp({ kind: 'execution', ref }, { setup: (s) => showExecution(s, ref, chart) });
    actions.artifacts = () => ['chart.png', 'chart.svg', 'summary.json'];
    actions.artifactText = (_i, name) => (name === 'chart.png' ? new Error('chart.png is not text (1234 bytes): download it with d') : SUMMARY);
    actions.download = { files: 3, skipped: 0 };
    await h.waitForFrame((x) => x.split('\n')[1]?.startsWith('Complete'), 'the chart batch');
    await h.press('l');
    await h.press(KEYS.enter);
    let f = await h.waitForFrame((x) => x.includes('artifacts (3)'), 'index 1 with three artifacts');
    expect(f).toMatch(/^inputs +model=Datsun 710 +mpg=22\.8/m);
    // Outputs are a table: name, type and value, the value cut to the width.
    expect(f).toMatch(/^│ title +│ character +│ .+ │$/m);
    // The first artifact (chart.png) is binary: v says so instead of paging it.
    f = await h.press('v');
    expect(f).toContain('chart.png is not text');
    // Down to summary.json, then page it.
    await h.press('j');
    await h.press('j');
    f = await h.press('v');
    expect(f.startsWith('1/summary.json')).toBe(true);
    expect(f).toContain('Datsun 710');
    expect(actions.callsOf('viewArtifact')).toEqual([[ID, 1, 'chart.png'], [ID, 1, 'summary.json']]);
    // Back on the index its artifacts are listed again (the list was released with the screen).
    await h.press('q');
    await h.waitForFrame((x) => x.includes('artifacts (3)'), 'the index again');
    // D downloads every artifact of this index.
    await h.press('D');
    f = await h.waitForFrame((x) => x.includes('Downloaded 3 files'), 'the index download');
    expect(actions.callsOf('downloadArtifacts')).toEqual([[ID, 1, undefined]]);
    f = await h.press('w');
    expect(f.startsWith('Downloads')).toBe(true);
    expect(f).toMatch(/# ██████████ 3\/3 files/);
    expect(f).toContain('index 1: all artifacts');
    h.unmount();
  });

  it('d, D and v say why they cannot act while the artifacts are listed, and on an index without any', async () => {
    const { h, actions } = renderApp({ kind: 'execution', ref }, { setup: (s, a) => {
      showExecution(s, ref, { states: '#>', state: 'InProgress' });
      a.holdLoads = true;
    } });
    await h.waitForFrame((x) => x.split('\n')[1]?.startsWith('InProgress'), 'the grid');
    let f = await h.press(KEYS.enter);
    expect(f).toContain('artifacts (* loading)');
    f = await h.press('d');
    expect(statusOf(f)).toBe('The artifacts are still being listed');
    expect(hintsOf(f)).toBe('q back  ? help  w downloads  y copy');
    actions.answer();
    f = await h.waitForFrame((x) => x.includes('artifacts (0)'), 'no artifacts');
    f = await h.press('v');
    expect(statusOf(f)).toBe('This index has no artifact to view');
    f = await h.press('D');
    expect(statusOf(f)).toBe('This index has no artifact to download');
    expect(actions.callsOf('downloadArtifacts')).toEqual([]);
    expect(actions.callsOf('viewArtifact')).toEqual([]);
    // A running index has none yet: it is not even asked for.
    f = await h.press('q');
    await h.press('l');
    f = await h.press(KEYS.enter);
    expect(f).toMatch(/^index 1 /m);
    f = await h.press('d');
    expect(statusOf(f)).toBe('The index has not finished: its artifacts come when it has');
    expect(actions.callsOf('loadArtifacts')).toEqual([[ID, 0]]);
    h.unmount();
  });

  it('the selected artifact is still selected after the viewer closes, and a one-line file is one line', async () => {
    const done = { states: '##', state: 'Complete' as const, parallelCount: 2 };
    const { h, actions } = renderApp({ kind: 'execution', ref }, { setup: (s) => showExecution(s, ref, done) });
    actions.artifacts = () => ['a.txt', 'b.txt', 'c.txt'];
    actions.artifactText = () => 'just one line\n';
    await h.waitForFrame((x) => x.split('\n')[1]?.startsWith('Complete'), 'the execution');
    await h.press(KEYS.enter);
    await h.waitForFrame((x) => x.includes('artifacts (3)'), 'the artifacts');
    await h.press('j');
    let f = await h.press('j');
    expect(f).toMatch(/^ {2}c\.txt$/m);
    f = await h.press('v');
    f = await h.waitForFrame((x) => x.startsWith('0/c.txt'), 'the viewer');
    expect(f.split('\n')[0]).toBe('0/c.txt  lines 1–1 of 1');
    await h.press(KEYS.escape);
    f = await h.waitForFrame((x) => x.includes('artifacts (3)'), 'the index again');
    h.write('v');
    f = await h.waitForFrame((x) => x.startsWith('0/'), 'the viewer again');
    expect(f.startsWith('0/c.txt')).toBe(true);
    expect(actions.callsOf('viewArtifact').map((c) => c[2])).toEqual(['c.txt', 'c.txt']);
    h.unmount();
  });

  it('an index that never ran, in an ended execution, lists its (empty) artifacts instead of waiting for ever', async () => {
    const canceled = { states: '#.', state: 'Canceled' as const, parallelCount: 1 };
    const { h, actions } = renderApp({ kind: 'execution', ref }, { setup: (s) => showExecution(s, ref, canceled) });
    await h.waitForFrame((x) => x.split('\n')[1]?.startsWith('Canceled'), 'the execution');
    await h.press('l');
    await h.press(KEYS.enter);
    const f = await h.waitForFrame((x) => x.includes('artifacts (0)'), 'no artifacts');
    expect(f).toMatch(/^index 1 {2}\. Pending/m);
    expect(actions.callsOf('loadArtifacts')).toEqual([[ID, 1]]);
    h.unmount();
  });
});
