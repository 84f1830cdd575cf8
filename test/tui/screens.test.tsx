import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ID, renderApp, serviceNamed } from './app-fixture.js';
import { KEYS } from './harness.js';

const lines = (f: string) => f.split('\n');
const HOST = 'http://127.0.0.1:12800';

describe('connect, services, compose and executions screens', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'mlbatch-screens-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('connects with a masked password, says why it cannot, and logs in with what was typed', async () => {
    const { h, actions } = renderApp({ kind: 'connect' }, { setup: (store) => store.getState().setConnection(HOST, 'admin', false) });
    actions.login = (_host, _user, password) => password === 'test-password-1' || 'login refused (401 Unauthorized): check the user and password';
    let f = await h.waitForFrame((x) => x.includes('Connect to Machine Learning Server'), 'the connect screen');
    expect(f).toContain(`host      ${HOST}`);
    // The password field has the focus when the host is known.
    f = await h.type('wrong');
    expect(f).toContain('> password  *****█');
    expect(f).not.toContain('wrong');
    // Shift-Tab goes back a field, Tab on (the password field is last, so Tab would wrap to host).
    f = await h.press(KEYS.shiftTab);
    expect(f).toContain('> user      admin█');
    f = await h.press(KEYS.tab);
    expect(f).toContain('> password  *****█');
    // q is text in a form, never back or quit.
    f = await h.press('q');
    expect(f).toContain('> password  ******█');
    await h.press(KEYS.backspace);
    f = await h.press(KEYS.enter);
    f = await h.waitForFrame((x) => x.includes('Cannot connect:'), 'the login error');
    expect(f).toMatch(/401/);
    expect(actions.callsOf('connect')).toEqual([[HOST, 'admin', 'wrong']]);
    for (let i = 0; i < 5; i++) await h.press(KEYS.backspace);
    await h.type('test-password-1');
    await h.press(KEYS.enter);
    f = await h.waitForFrame((x) => x.includes('slow-scorer') && x.startsWith('Services on'), 'the services screen');
    expect(actions.callsOf('connect')[1]).toEqual([HOST, 'admin', 'test-password-1']);
    expect(actions.callsOf('quit')).toEqual([]);
    h.unmount();
  });

  it('filters services, composes a batch with inline record errors, starts it, and finds it among the executions', async () => {
    const bad = join(work, 'bad.csv');
    const good = join(work, 'good.csv');
    await writeFile(bad, 'id,value\n1,0.5\n2,abc\n');
    await writeFile(good, 'id,value,extra\n' + Array.from({ length: 30 }, (_, i) => `${i + 1},${i / 10},x`).join('\n') + '\n');
    const { h, actions } = renderApp({ kind: 'services' }, { setup: (store) => store.getState().setConnection(HOST, 'admin', true) });
    const ref = { service: 'slow-scorer', version: '1.0', id: ID };
    const done = { states: '#'.repeat(30), state: 'Complete' as const, parallelCount: 3 };
    actions.start = () => ({ ref, spec: done });
    actions.execution = () => ({ ...done, parallelCount: 0 });
    let f = await h.waitForFrame((x) => x.includes('transmission') && x.includes('slow-scorer'), 'the services');
    expect(lines(f)[1]).toMatch(/name +version +runtime +inputs +outputs +artifacts/);
    // At 80 columns a name is shown whole: cut, transmission and transmission-python looked alike.
    expect(f).toMatch(/^ {2}transmission-python +1\.0 +Python +hp, wt +probability +answer\.csv$/m);
    await h.press('/');
    f = await h.type('slow');
    expect(f).toContain('filter: slow');
    expect(f).not.toContain('transmission');
    f = await h.press(KEYS.enter);
    expect(f).toMatch(/^> slow-scorer +1\.0 +JavaScript +id, value/m);
    f = await h.press(KEYS.enter);
    expect(f).toContain('New batch of this service');
    // The service's parameters are a table: inputs, then outputs.
    expect(f).toMatch(/^│ input +│ id +│ integer +│$/m);
    expect(f).toMatch(/^│ output +│ score +│ numeric +│$/m);
    f = await h.press('n');
    expect(f).toMatch(/^New batch of slow-scorer 1\.0/);
    // A path arrives as one chunk, as when pasted.
    await h.press(bad);
    f = await h.waitForFrame((x) => x.includes('X value:'), 'the inline error');
    expect(f).toMatch(/ {3}0 {2}id=1 {2}value=0\.5/);
    expect(f).toMatch(/ {3}1 {2}X value: .*abc/);
    expect(f).toContain('Fix the records file');
    // Enter on the path only moves on to parallel; there Enter is refused while rows are bad.
    f = await h.press(KEYS.enter);
    expect(f).toContain('> parallel  10█');
    f = await h.press(KEYS.enter);
    expect(f).toContain('The records have errors');
    expect(f).toMatch(/^New batch of slow-scorer/);
    // ↑ goes back to the previous field (Tab and ↓ go on).
    f = await h.press(KEYS.up);
    expect(f).toContain(`> records   ${bad}█`);
    await h.press(KEYS.backspace.repeat(bad.length));
    await h.press(good);
    f = await h.waitForFrame((x) => x.includes('csv, columns id, value, extra'), 'the good preview');
    expect(f).toContain('note:');
    expect(f).toContain('Enter: on to parallel, where Enter starts');
    // Editing the path cleared the refusal, which was about the other file.
    expect(f).not.toContain('The records have errors');
    // A path pasted with its newline must not start a batch: Enter leads to parallel, nothing is sent.
    f = await h.press(KEYS.enter);
    expect(f).toContain('Enter starts the batch with parallel 10');
    expect(f).toMatch(/^New batch of slow-scorer/);
    expect(actions.callsOf('startBatch')).toEqual([]);
    await h.press(KEYS.backspace);
    await h.press(KEYS.backspace);
    f = await h.press('3');
    expect(f).toContain('> parallel  3█');
    await h.press(KEYS.enter);
    f = await h.waitForFrame((x) => /^Complete · parallel 3/m.test(x) && x.includes('30/30'), 'the started batch');
    expect(actions.callsOf('startBatch')).toEqual([['slow-scorer', good, 3]]);
    expect(lines(f)[0]).toBe(`slow-scorer 1.0  ${ID}`);
    // q goes back past the form (which would take q as text) to the service's actions; then its executions: Enter re-attaches.
    f = await h.press('q');
    expect(f).toContain('Executions of this service');
    expect(f).not.toMatch(/^New batch of/m);
    actions.executions = [{ id: ID, state: 'Complete', total: 30, completed: 30 }];
    await h.press('e');
    f = await h.waitForFrame((x) => x.includes(ID) && /Complete/.test(x), 'the executions list');
    expect(f).toMatch(new RegExp(`${ID} +Complete +— +— +30/30`));
    f = await h.press(KEYS.enter);
    expect(f.startsWith(`slow-scorer 1.0  ${ID}`)).toBe(true);
    expect(f).toContain('30/30');
    expect(actions.callsOf('attach')).toEqual([[ref]]);
    h.unmount();
  });

  it('shows a whole-file error in full, wrapped, however long', async () => {
    const missing = join(work, 'a-records-file-with-a-rather-long-name-missing-a-column.csv');
    await writeFile(missing, 'cyl,hp,disp,drat,qsec\n4,90,100,3.9,16.5\n');
    const { h } = renderApp({ kind: 'compose', service: serviceNamed('transmission') });
    await h.press(missing);
    const f = await h.waitForFrame((x) => x.includes('missing input column'), 'the file error');
    // Cut at 80 columns the end (what the header does have) was lost; wrapped it is all there.
    const text = f.split('\n').join(' ');
    expect(text).toMatch(/missing input column "wt" \(numeric\)/);
    expect(text).toMatch(/"cyl".*"qsec"/);
    expect(f).toContain('Fix the records file');
    h.unmount();
  });

  it('a refused start shows its whole error under the form: file, line, record, column', async () => {
    const late = join(work, 'a-records-file-whose-bad-record-is-past-the-preview.csv');
    await writeFile(late, 'hp,wt\n' + Array.from({ length: 30 }, (_, i) => `${i + 1},2.5`).join('\n') + '\nabc,3\n');
    const { h, actions } = renderApp({ kind: 'compose', service: serviceNamed('transmission') });
    actions.start = (_def, file) => `${file} line 32 (record 30), column "hp": must be numeric (a number), got "abc"`;
    await h.press(late);
    await h.waitForFrame((x) => x.includes('hp=8  wt=2.5'), 'a clean preview');
    let f = await h.press(KEYS.enter);
    expect(f).toContain('Enter starts the batch');
    await h.press(KEYS.enter);
    f = await h.waitForFrame((x) => x.includes('Not started'), 'the refusal');
    const text = f.split('\n').slice(-4, -1).join(' ');
    expect(text).toMatch(/line 32 \(record 30\), column "hp": must be numeric \(a number\), got "abc"/);
    expect(f).toMatch(/^New batch of transmission/);
    expect(actions.callsOf('startBatch')).toEqual([['transmission', late, 10]]);
    h.unmount();
  });

  it('a failed login shows its whole reason, wrapped under the form', async () => {
    const host = 'http://127.0.0.1:9/a/rather/long/path/in/front/of/the/server';
    const { h, actions } = renderApp({ kind: 'connect' }, { setup: (store) => store.getState().setConnection(host, 'admin', false) });
    actions.login = (to) => `cannot reach ${to}: connect ECONNREFUSED 127.0.0.1:9 (is the server running, and is the port right?)`;
    await h.waitForFrame((x) => x.includes('Connect to Machine Learning Server'), 'the connect screen');
    await h.type('pw');
    await h.press(KEYS.enter);
    const f = await h.waitForFrame((x) => x.includes('Cannot connect:'), 'the login error');
    const status = lines(f).slice(-4, -1).map((l) => l.trim()).filter(Boolean).join(' ');
    expect(status).toMatch(/^Cannot connect: /);
    expect(status.length).toBeGreaterThan(80);
    expect(status).toContain('is the port right?)');
    expect(status).not.toContain('…');
    h.unmount();
  });
});
