/** Contexts in the app against a fake actions port: the name in the header, read-only contexts, C and :ctx, the switch. */
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { accentOf, contextTag, isProductionName } from '../../src/views/context-tag.js';
import { executionRow } from '../../src/screens/ExecutionsScreen.js';
import { parsePromptCommand } from '../../src/hooks/use-prompt-command.js';
import type { ContextRow } from '../../src/store/types.js';
import { ID, renderApp, showExecution, type ExecSpec } from './app-fixture.js';
import { KEYS } from './harness.js';

const ref = { service: 'slow-scorer', version: '1.0', id: ID };
const lines = (f: string) => f.split('\n');
const RUNNING: ExecSpec = { states: '#'.repeat(30) + '>'.repeat(5) + '.'.repeat(65), state: 'InProgress', parallelCount: 5 };
const BOLD = '\x1b[1m';
const YELLOW = '\x1b[33m';

const CONTEXTS: ContextRow[] = [
  { name: 'dev', host: 'http://dev.example:12800', user: 'admin', readonly: false, color: null, loggedIn: true },
  { name: 'prod', host: 'https://prod.example:12800', user: 'ops', readonly: true, color: null, loggedIn: true },
  { name: 'staging', host: 'https://staging.example:12800', user: null, readonly: false, color: 'magenta', loggedIn: false },
];

describe('the context in the header', () => {
  it('a production name gets the warning colour when it sets none; its own colour wins; others are bold only', () => {
    for (const name of ['prod', 'production', 'prd', 'eu-prod', 'prod2', 'admin@prd', 'PROD']) expect(isProductionName(name), name).toBe(true);
    for (const name of ['product', 'dev', 'preprod', 'staging', 'reproduce']) expect(isProductionName(name), name).toBe(false);
    expect(accentOf({ name: 'prod', color: null })).toBe('yellow');
    expect(accentOf({ name: 'prod', color: 'red' })).toBe('red');
    expect(accentOf({ name: 'dev', color: null })).toBeNull();
    expect(contextTag({ name: 'prod', color: null }, 80, true).text).toBe(`${BOLD}${YELLOW}prod\x1b[0m`);
    expect(contextTag({ name: 'dev', color: 'cyan' }, 80, true).text).toBe(`${BOLD}\x1b[36mdev\x1b[0m`);
    expect(contextTag({ name: 'dev', color: null }, 80, true).text).toBe(`${BOLD}dev\x1b[0m`);
    // Without colour the name is all there is.
    expect(contextTag({ name: 'prod', color: null }, 80, false)).toEqual({ text: 'prod', cells: 4 });
    // A long name is cut to a third of a narrow line.
    expect(contextTag({ name: 'production-eu-west-1', color: null }, 40, false)).toEqual({ text: 'production-e…', cells: 13 });
  });

  it('every screen names the context at the right of its first line, prod in the warning colour', async () => {
    const { h, store } = renderApp({ kind: 'services' }, { color: true, context: { name: 'prod', color: null, readonly: false } });
    let f = await h.waitForFrame((x) => x.includes('transmission'), 'the services');
    expect(lines(f)[0]).toMatch(/^Services on .* \(6\) +prod$/);
    expect(stringWidth(lines(f)[0])).toBe(80);
    expect(lines(h.rawFrame())[0]).toContain(`${YELLOW}prod`);
    f = await h.press('?');
    expect(lines(f)[0]).toMatch(/^Keys \(services\).* +prod$/);
    await h.press('q');
    store.getState().push({ kind: 'execution', ref });
    showExecution(store, ref, RUNNING);
    f = await h.waitForFrame((x) => x.startsWith('slow-scorer 1.0'), 'the execution');
    expect(lines(f)[0]).toBe(`slow-scorer 1.0  ${ID}${' '.repeat(80 - 17 - ID.length - 4)}prod`);
    // Help under the execution's header: the name once, at the top.
    f = await h.press('?');
    expect(lines(f).filter((l) => / prod$/.test(l))).toEqual([lines(f)[0]]);
    await h.press(KEYS.escape);
    f = await h.press('w');
    expect(lines(f)[0]).toMatch(/^Downloads +prod$/);
    h.unmount();
  });

  it('with NO_COLOR (no colour) the name still shows, plain; outside a context the first line is as before', async () => {
    const plain = renderApp({ kind: 'services' }, { color: false, context: { name: 'prod', color: 'red', readonly: false } });
    await plain.h.waitForFrame((x) => x.includes('transmission'), 'the services');
    expect(lines(plain.h.rawFrame())[0]).toMatch(/ prod$/);
    expect(plain.h.rawFrame()).not.toContain('\x1b[31m');
    plain.h.unmount();
    const none = renderApp({ kind: 'services' });
    const f = await none.h.waitForFrame((x) => x.includes('transmission'), 'the services');
    expect(lines(f)[0]).toMatch(/^Services on the server \(6\)$/);
    none.h.unmount();
  });

  it('at 40×12 the name fits on the first line, cut, and the title gives way; nothing wraps', async () => {
    const context = { name: 'production-eu-west-1', color: null, readonly: false };
    const { h, store } = renderApp({ kind: 'services' }, { cols: 40, rows: 12, context });
    let f = await h.waitForFrame((x) => x.includes('transmission'), 'the services');
    expect(lines(f).every((l) => stringWidth(l) <= 40)).toBe(true);
    expect(lines(f)[0]).toMatch(/^Services on the server \(… {2}production-e…$/);
    expect(lines(f).length).toBeLessThanOrEqual(11);
    store.getState().push({ kind: 'execution', ref });
    showExecution(store, ref, RUNNING);
    f = await h.waitForFrame((x) => /^ +0 #/.test(lines(x)[2] ?? ''), 'the grid');
    expect(lines(f)[0]).toMatch(/^slow-scorer 1\.0 {2}5b1c7d2… {2}production-e…$/);
    expect(lines(f)[1]).toMatch(/^InProgress /);
    expect(lines(f)).toHaveLength(11);
    expect(lines(f).every((l) => stringWidth(l) <= 40)).toBe(true);
    h.unmount();
  });
});

describe('a read-only context', () => {
  it('refuses cancel and rerun with its reason, leaves them out of the hints, and says why in help', async () => {
    const { h, actions } = renderApp({ kind: 'execution', ref }, {
      context: { name: 'prod', color: null, readonly: true },
      setup: (s) => showExecution(s, ref, { ...RUNNING, states: 'X' + RUNNING.states.slice(1) }),
    });
    let f = await h.waitForFrame((x) => x.includes('? help'), 'the execution');
    expect(lines(f)[0]).toContain('[read-only]');
    expect(lines(f).at(-1)).not.toContain('cancel');
    f = await h.press('c');
    expect(f).toContain('Context prod is read-only');
    expect(f).not.toContain('Cancel execution');
    f = await h.press('R');
    expect(f).toContain('Context prod is read-only');
    f = await h.press('?');
    expect(f).toMatch(/^c +not now: context prod is read-only$/m);
    expect(actions.callsOf('cancelExecution')).toEqual([]);
    expect(actions.callsOf('rerun')).toEqual([]);
    h.unmount();
  });

  it('--readonly stays read-only in every context, in its own words', async () => {
    const { h } = renderApp({ kind: 'execution', ref }, { readonly: true, context: { name: 'dev', color: null, readonly: false }, setup: (s) => showExecution(s, ref, RUNNING) });
    await h.waitForFrame((x) => x.includes('? help'), 'the execution');
    const f = await h.press('c');
    expect(f).toContain('Read-only: the app was started with --readonly');
    h.unmount();
  });
});

describe('C, :ctx and the switch', () => {
  it('C lists the contexts with the current one marked; Enter switches, and the header, services and status follow', async () => {
    const { h, store, actions } = renderApp({ kind: 'services' }, {
      context: { name: 'dev', color: null, readonly: false },
      setup: (s, a) => {
        a.contexts = CONTEXTS;
        s.getState().setConnection('http://dev.example:12800', 'admin', true);
      },
    });
    await h.waitForFrame((x) => x.includes('transmission'), 'the services');
    let f = await h.press('C');
    f = await h.waitForFrame((x) => x.includes('staging'), 'the contexts');
    expect(lines(f)[0]).toMatch(/^Contexts \(3\) +dev$/);
    expect(f).toMatch(/^>\*dev +http:\/\/dev\.example:12800 +admin$/m);
    expect(f).toMatch(/^ {2}prod +https:\/\/prod\.example:12800 +ops +read-only$/m);
    expect(f).toMatch(/^ {2}staging +https:\/\/staging\.example:12800 +— +no login$/m);
    expect(lines(f).at(-1)).toContain('Enter switch');
    // No saved login: it says what to run, and stays.
    await h.press('j');
    await h.press('j');
    f = await h.press(KEYS.enter);
    expect(f).toContain('Context staging has no saved login: run mlbatch login --context staging');
    expect(store.getState().context?.name).toBe('dev');
    f = await h.press('k');
    f = await h.press(KEYS.enter);
    f = await h.waitForFrame((x) => x.startsWith('Services on'), 'the services of prod');
    expect(lines(f)[0]).toMatch(/^Services on https:\/\/prod\.example:12800 \(6\) +prod$/);
    expect(f).toContain('Switched to context prod: https://prod.example:12800 as ops, read-only');
    expect(store.getState().stack.map((s) => s.kind)).toEqual(['services']);
    expect(store.getState().readonlyReason).toBe('context prod is read-only');
    expect(actions.callsOf('switchContext')).toEqual([['staging'], ['prod']]);
    // The services were listed anew for the new server.
    expect(actions.callsOf('loadServices')).toHaveLength(2);
    h.unmount();
  });

  it(':ctx lists the contexts, :ctx NAME switches, from any list screen and from the execution screen', async () => {
    const { h, store, actions } = renderApp({ kind: 'services' }, {
      context: { name: 'prod', color: null, readonly: true },
      setup: (s, a) => {
        a.contexts = CONTEXTS;
        s.getState().setConnection('https://prod.example:12800', 'ops', true);
        s.getState().push({ kind: 'execution', ref });
        showExecution(s, ref, RUNNING);
      },
    });
    await h.waitForFrame((x) => x.includes('? help'), 'the execution');
    await h.press(':');
    let f = await h.type('ctx');
    expect(f).toContain('jump to index (or ctx): ctx');
    f = await h.press(KEYS.enter);
    f = await h.waitForFrame((x) => x.startsWith('Contexts (3)'), 'the contexts');
    expect(f).toMatch(/^>\*prod /m);
    await h.press('q');
    f = await h.press('q');
    expect(lines(f)[0]).toMatch(/^Services on /);
    // Elsewhere `:` opens the command line under the screen.
    f = await h.press(':');
    expect(lines(f).at(-1)).toBe(':█');
    expect(lines(f).length).toBeLessThanOrEqual(23);
    await h.type('nope');
    f = await h.press(KEYS.enter);
    expect(f).toContain('Unknown command :nope: ctx lists the contexts, ctx NAME switches to one');
    await h.press(':');
    await h.type('ctx qa');
    f = await h.press(KEYS.enter);
    expect(f).toContain('No context qa: the contexts are dev, prod, staging');
    await h.press(':');
    await h.type('ctx dev');
    await h.press(KEYS.enter);
    f = await h.waitForFrame((x) => x.includes('Switched to context dev'), 'the switch');
    expect(lines(f)[0]).toMatch(/^Services on http:\/\/dev\.example:12800 \(6\) +dev$/);
    expect(store.getState().readonly).toBe(false);
    await h.press(':');
    await h.type('ctx dev');
    f = await h.press(KEYS.enter);
    expect(f).toContain('Already in context dev');
    expect(actions.callsOf('switchContext')).toEqual([['qa'], ['dev'], ['dev']]);
    h.unmount();
  });

  it('a switch that cannot connect says why and stays where it was', async () => {
    const { h, store } = renderApp({ kind: 'contexts' }, {
      context: { name: 'dev', color: null, readonly: false },
      setup: (s, a) => {
        a.contexts = CONTEXTS;
        a.reachable = () => 'cannot connect to https://prod.example:12800: connect ECONNREFUSED';
        s.getState().setConnection('http://dev.example:12800', 'admin', true);
      },
    });
    await h.waitForFrame((x) => x.includes('staging'), 'the contexts');
    await h.press('j');
    const f = await h.press(KEYS.enter);
    expect(store.getState().status?.text).toBe('Cannot switch to context prod: cannot connect to https://prod.example:12800: connect ECONNREFUSED');
    expect(f).toContain('Cannot switch to context prod: cannot connect to');
    expect(store.getState().context?.name).toBe('dev');
    expect(lines(f)[0]).toMatch(/^Contexts \(3\) +dev$/);
    h.unmount();
  });

  it('reads what is typed at the : prompt', () => {
    expect(parsePromptCommand('215')).toEqual({ kind: 'index', index: 215 });
    expect(parsePromptCommand(' ')).toEqual({ kind: 'empty' });
    expect(parsePromptCommand('ctx')).toEqual({ kind: 'contexts' });
    expect(parsePromptCommand('contexts')).toEqual({ kind: 'contexts' });
    expect(parsePromptCommand('ctx  prod ')).toEqual({ kind: 'switch', name: 'prod' });
    expect(parsePromptCommand('context prod extra')).toEqual({ kind: 'unknown', text: 'context prod extra' });
    expect(parsePromptCommand('quit')).toEqual({ kind: 'unknown', text: 'quit' });
  });
});

describe('H names the context of each execution', () => {
  it('a context column when any row has one, and 80 columns still hold a row', async () => {
    const now = Date.now();
    const { h } = renderApp({ kind: 'services' }, {
      context: { name: 'prod', color: null, readonly: false },
      setup: (_s, a) => {
        a.executions = [
          { id: 'aaaa1111-0000-4000-8000-000000000001', service: 'flaky', version: '1.0', state: 'InProgress', total: 20, completed: 5, startedAt: now - 65_000, failed: 1, context: 'prod' },
          { id: 'bbbb2222-0000-4000-8000-000000000002', service: 'slow-scorer', version: '1.0', state: 'Complete', total: 9, completed: 9, startedAt: now - 3 * 86_400_000, failed: 0, context: 'prod-admin' },
          { id: 'cccc3333-0000-4000-8000-000000000003', service: 'slow-scorer', version: '1.0', state: 'Complete', total: 9, completed: 9, startedAt: now - 86_400_000, failed: 120, context: null },
        ];
      },
    });
    await h.waitForFrame((x) => x.includes('transmission'), 'the services');
    await h.press('H');
    const f = await h.waitForFrame((x) => x.includes('aaaa1111'), 'the list');
    expect(f).toMatch(/^ {2}service +id +context +state +start +age +done +fail$/m);
    expect(f).toMatch(/^> flaky 1\.0 +aaaa1111… prod +InProgress +\d\d[:-]\d\d +1m05s +5\/20 +1$/m);
    expect(f).toMatch(/^ {2}slow-scorer 1\.0 +bbbb2222… prod-admin +Complete +\d\d-\d\d +3d +9\/9 +0$/m);
    expect(f).toMatch(/^ {2}slow-scorer 1\.0 +cccc3333… — +Complete .* 120$/m);
    expect(lines(f).every((l) => stringWidth(l) <= 80)).toBe(true);
    h.unmount();
    // A service's own list has no context column.
    expect(executionRow({ id: 'x', state: 'Complete', total: 1, completed: 1, context: 'prod' }, false, now, 0)).not.toContain('prod');
  });
});
