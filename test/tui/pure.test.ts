import { describe, expect, it } from 'vitest';
import { colorEnabled, STATE_SYMBOL } from '../../src/text/ansi.js';
import { formatDuration } from '../../src/text/units.js';
import { brief, cut } from '../../src/views/format.js';
import { buildGridRow, buildGridRows, gridGeometry } from '../../src/views/grid-rows.js';
import { progressLine, stateLine } from '../../src/views/header-lines.js';
import { COMMANDS, commandsFor, hintLine, helpLines, matchCommand, type KeyContext } from '../../src/keys.js';
import { emptyExec } from '../../src/store/app-store.js';
import { moveCursor, placeCursor } from '../../src/store/cursor.js';
import { indexAt, positionOf, visibleIndices } from '../../src/store/selection.js';
import type { ExecView } from '../../src/store/types.js';
import { prepareUiEnv } from '../../src/launch/app-command.js';
import { anchorFrame } from '../../src/terminal/ink-stdout.js';
import { plainSummary } from '../../src/terminal/plain.js';
import type { Key } from 'ink';

const noKey = {} as Key;
const states = (s: string) => Uint8Array.from([...s].map((c) => '.>#X-'.indexOf(c)));

describe('grid rows', () => {
  it('fits groups of ten after an index gutter', () => {
    expect(gridGeometry(80, 2000)).toEqual({ gutter: 5, cellsPerRow: 60 });
    expect(gridGeometry(120, 100_000)).toEqual({ gutter: 6, cellsPerRow: 100 });
    expect(gridGeometry(20, 5)).toEqual({ gutter: 2, cellsPerRow: 10 });
  });

  it('draws one symbol per index, a space between groups, and the first index in the gutter', () => {
    const s = states('##X.>-####' + '##########' + 'X');
    const g = { gutter: 3, cellsPerRow: 20 };
    expect(buildGridRow({ states: s, visible: null, row: 0, geometry: g, color: false, cursor: -1 })).toBe(' 0 ##X.>-#### ##########');
    expect(buildGridRow({ states: s, visible: null, row: 1, geometry: g, color: false, cursor: -1 })).toBe('20 X');
    expect(buildGridRows(s, null, 1, 3, g, false)).toEqual(['20 X', '', '']);
  });

  it('merges colour runs: one SGR per run, not per cell', () => {
    const s = states('#'.repeat(30) + 'X' + '#'.repeat(9));
    const line = buildGridRow({ states: s, visible: null, row: 0, geometry: { gutter: 2, cellsPerRow: 40 }, color: true, cursor: -1 });
    expect(line.split('\x1b[32m').length - 1).toBe(2);
    expect(line.split('\x1b[31m').length - 1).toBe(1);
    expect(line.replace(/\x1b\[[0-9;]*m/g, '')).toBe('0 ########## ########## ########## X#########');
  });

  it('marks the cursor in inverse video and draws only filtered indices', () => {
    const s = states('#X#X#X');
    const visible = visibleIndices(s, 1, 'Failed');
    expect(Array.from(visible!)).toEqual([1, 3, 5]);
    const line = buildGridRow({ states: s, visible, row: 0, geometry: { gutter: 2, cellsPerRow: 10 }, color: false, cursor: 1 });
    expect(line).toBe('1 X\x1b[7mX\x1b[27mX');
    expect(indexAt(s, 1, 'Failed', 2)).toBe(5);
    expect(positionOf(s, 1, 'Failed', 4)).toBe(2);
    expect(indexAt(s, 1, null, 4)).toBe(4);
  });

  it('tells states apart without colour', () => {
    expect(new Set(Object.values(STATE_SYMBOL)).size).toBe(5);
  });
});

describe('cursor and viewport', () => {
  const view: ExecView = { cursor: 0, top: 0, filter: null, mode: 'grid', cellsPerRow: 10, bodyRows: 3 };
  it('moves by cell, row and page, and clamps at the ends', () => {
    expect(moveCursor(view, 100, 'right').cursor).toBe(1);
    expect(moveCursor(view, 100, 'left').cursor).toBe(0);
    expect(moveCursor(view, 100, 'down').cursor).toBe(10);
    // A page key turns the page: the next three rows show, the cursor on the same screen row.
    expect(moveCursor(view, 100, 'pageDown')).toMatchObject({ cursor: 30, top: 3 });
    expect(moveCursor({ ...view, cursor: 41, top: 3 }, 100, 'pageUp')).toMatchObject({ cursor: 11, top: 0 });
    expect(moveCursor({ ...view, cursor: 11, top: 1 }, 100, 'pageUp')).toMatchObject({ cursor: 0, top: 0 });
    expect(moveCursor({ ...view, cursor: 85, top: 6 }, 100, 'pageDown')).toMatchObject({ cursor: 99, top: 7 });
    expect(moveCursor(view, 100, 'bottom')).toMatchObject({ cursor: 99, top: 7 });
    expect(moveCursor({ ...view, cursor: 95, top: 7 }, 100, 'down').cursor).toBe(95);
    expect(moveCursor({ ...view, cursor: 99, top: 7 }, 100, 'top')).toMatchObject({ cursor: 0, top: 0 });
  });
  it('scrolls so the cursor stays visible, and clamps to the data', () => {
    expect(placeCursor(view, 100, 55)).toMatchObject({ cursor: 55, top: 3 });
    expect(placeCursor({ ...view, top: 8 }, 100, 999)).toMatchObject({ cursor: 99, top: 7 });
    expect(placeCursor(view, 0, 5)).toMatchObject({ cursor: 0, top: 0 });
  });
  it('moves one line at a time in the list, scrolls only when the cursor would leave the screen, and turns pages', () => {
    const list: ExecView = { ...view, mode: 'list', cellsPerRow: 1, bodyRows: 5 };
    expect(moveCursor(list, 100, 'down').cursor).toBe(1);
    // Rows 3..7 show with the cursor on the last: up moves the cursor, not the view.
    expect(moveCursor({ ...list, cursor: 7, top: 3 }, 100, 'up')).toMatchObject({ cursor: 6, top: 3 });
    expect(moveCursor({ ...list, cursor: 7, top: 3 }, 100, 'down')).toMatchObject({ cursor: 8, top: 4 });
    expect(moveCursor({ ...list, cursor: 7, top: 3 }, 100, 'pageDown')).toMatchObject({ cursor: 12, top: 8 });
    expect(moveCursor({ ...list, cursor: 7, top: 3 }, 8, 'pageDown')).toMatchObject({ cursor: 7, top: 3 });
  });
});

describe('command table', () => {
  const contexts: KeyContext[] = ['execution', 'index', 'pager', 'downloads', 'services', 'actions', 'executions', 'compose', 'connect', 'confirm', 'prompt', 'help', 'error'];
  it('never binds one key to two commands in the same place', () => {
    for (const ctx of contexts) {
      const seen = new Map<string, string>();
      for (const c of commandsFor(ctx)) {
        for (const k of c.keys) {
          const other = seen.get(k);
          expect(other === undefined || other === c.id, `${ctx}: ${k} is ${other} and ${c.id}`).toBe(true);
          seen.set(k, c.id);
        }
      }
    }
  });
  it('turns dangerous commands off under --readonly, saying so, and keeps the hint bar within width', () => {
    const facts = { readonly: false, attached: true, state: 'InProgress' as const, anyRecord: true, anyFinished: true, artifacts: 'unfinished' as const };
    expect(matchCommand('execution', 'c', noKey)).toBe('cancel');
    expect(hintLine('execution', 80, { facts })).toContain('c cancel');
    expect(hintLine('execution', 80, { facts: { ...facts, readonly: true } })).not.toContain('cancel');
    expect(helpLines('execution', 80, 40, { facts: { ...facts, readonly: true } }).join('\n')).toMatch(/^c +not now: read-only: the app was started with --readonly$/m);
    expect(hintLine('execution', 30).length).toBeLessThanOrEqual(30);
    expect(COMMANDS.filter((c) => c.dangerous).map((c) => c.id)).toEqual(['cancel', 'rerun']);
  });
  it('lays help out in two columns when one does not fit, and in one on a narrow terminal', () => {
    const lines = helpLines('services', 80, 5);
    expect(lines.length).toBeLessThanOrEqual(Math.ceil(commandsFor('services').length / 2));
    expect(helpLines('services', 60, 5).length).toBe(commandsFor('services').length);
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    expect(lines.join('\n')).toContain('Reload the list');
    // The execution screen's help ends with what its symbols mean.
    const exec = helpLines('execution', 60, 10).join('\n');
    expect(exec).toMatch(/What the symbols mean\n#  +Complete: finished with its outputs\nX  +Failed/);
    // What `~` after the running count means.
    expect(exec).toMatch(/> 10~ +Running count inferred from the parallel count/);
  });
  it('reads arrows, ctrl and named keys', () => {
    expect(matchCommand('execution', '', { ...noKey, downArrow: true })).toBe('down');
    expect(matchCommand('execution', 'c', { ...noKey, ctrl: true })).toBe('quit');
    expect(matchCommand('execution', 'G', { ...noKey, shift: true })).toBe('bottom');
    expect(matchCommand('confirm', '', { ...noKey, return: true })).toBe('confirmNo');
  });
});

describe('header, plain summary and text hygiene', () => {
  const exec = {
    ...emptyExec({ service: 's', version: '1', id: 'abc' }, 4),
    state: 'InProgress' as const,
    total: 10,
    counts: [5, 1, 3, 1, 0],
    states: new Uint8Array(10),
    startedAt: 0,
    lastGoodPollAt: 60_000,
    throughput: 2,
    etaMs: 3000,
  };
  it('says how fresh the data is, and reconnecting when polls fail', () => {
    expect(stateLine(exec, 65_500, false)).toBe('InProgress · parallel 4 · elapsed 1m05s · 2.0/s · ETA 3s · polled 5 s ago');
    expect(stateLine({ ...exec, lastError: 'fetch failed' }, 72_000, false)).toContain('reconnecting, last good poll 12 s ago');
    expect(stateLine({ ...exec, state: 'Complete' }, 600_000, false)).toMatch(/^Complete · .* · final$/);
    expect(progressLine(exec, 80, false)).toMatch(/ 40% 4\/10  # 3  X 1  > 1  \. 5  - 0$/);
  });
  it('counts canceled records as finished (as every progress line does), with no ETA once ended', () => {
    const canceled = { ...exec, state: 'Canceled' as const, completed: 4, counts: [0, 0, 3, 1, 6] };
    expect(progressLine(canceled, 80, false)).toMatch(/ 100% 10\/10  # 3  X 1  > 0  \. 0  - 6$/);
    expect(stateLine(canceled, 600_000, false)).toContain('ETA —');
  });
  it('shows the whole run\'s average rate once ended, not the last window\'s (0/s after the end)', () => {
    const done = { ...exec, state: 'Complete' as const, completed: 10, counts: [0, 0, 8, 2, 0], throughput: 0, startedAt: 0, endedAt: 4000 };
    expect(stateLine(done, 600_000, false)).toBe('Complete · parallel 4 · elapsed 4.0s · 2.5/s · ETA — · final');
    // Under ten seconds an ended run shows tenths (a running one ticks in whole seconds).
    expect(stateLine({ ...done, endedAt: 740 }, 600_000, false)).toContain('elapsed 0.7s · 13.5/s');
    expect(stateLine({ ...done, endedAt: 65_000 }, 600_000, false)).toContain('elapsed 1m05s');
    expect(stateLine({ ...exec, startedAt: 0 }, 740, false)).toContain('elapsed 0s');
  });
  it('prints one plain line of counts', () => {
    expect(plainSummary(exec)).toBe('InProgress 4/10 complete 3 failed 1 running 1 pending 5 canceled 0 2.0/s ETA 3s');
    // A poll error from outside reaches the plain line escaped.
    expect(plainSummary({ ...exec, lastError: 'down (server said: \x1b]0;owned\x07\u202e)' })).toMatch(/reconnecting: down \(server said: \\u001b\]0;owned\\u0007\\u202e\)$/);
  });
  it('shows escape sequences in server values as visible escapes and cuts to width', () => {
    expect(brief('ok\x1b[2J\x1b]0;title\x07 done')).toBe('ok\\u001b[2J\\u001b]0;title\\u0007 done');
    expect(cut('abcdef', 4)).toBe('abc…');
    expect(brief(0.123456789)).toBe('0.123457');
    expect(formatDuration(3_725_000)).toBe('1h02m');
  });
  it('anchors ink frames one row higher and leaves other writes alone', () => {
    expect(anchorFrame('\x1b[22A\x1b[E')).toBe('\x1b[23A\x1b[E');
    expect(anchorFrame('hello\x1b[2A')).toBe('hello\x1b[2A');
  });
  it('honours NO_COLOR', () => {
    const env: NodeJS.ProcessEnv = { NO_COLOR: '1' };
    prepareUiEnv(env);
    expect(env.FORCE_COLOR).toBe('0');
    expect(colorEnabled({ NO_COLOR: '1' }, process.stdout)).toBe(false);
    expect(colorEnabled({ FORCE_COLOR: '1' }, process.stdout)).toBe(true);
  });
  it('keeps ink out of its CI mode on a terminal only', () => {
    const onTerminal: NodeJS.ProcessEnv = { CI: 'true' };
    prepareUiEnv(onTerminal, true);
    expect(onTerminal.CI).toBe('false');
    const piped: NodeJS.ProcessEnv = { CI: 'true' };
    prepareUiEnv(piped, false);
    expect(piped.CI).toBe('true');
  });
});

