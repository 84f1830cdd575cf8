import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderApp, startFixture, type ServerFixture } from './app-fixture.js';
import { KEYS } from './harness.js';

const lines = (f: string) => f.split('\n');

describe('connect, services, compose and executions screens', () => {
  let fx: ServerFixture;
  let config: string;
  const oldConfig = process.env.XDG_CONFIG_HOME;
  beforeAll(async () => {
    fx = await startFixture();
    config = join(fx.work, 'config');
    await mkdir(config);
    process.env.XDG_CONFIG_HOME = config;
  });
  afterAll(async () => {
    process.env.XDG_CONFIG_HOME = oldConfig;
    await fx?.stop();
  });

  it('connects with a masked password, says why it cannot, and remembers the host only', async () => {
    const app = await renderApp(null, { kind: 'connect' }, { downloadDir: join(fx.work, 'd1'), start: (c) => c.store.getState().setConnection(fx.server.url, 'admin', false) });
    const { h } = app;
    let f = await h.waitForFrame((x) => x.includes('Connect to Machine Learning Server'), 'the connect screen');
    expect(f).toContain(`host      ${fx.server.url}`);
    // The password field has the focus when the host is known.
    for (const ch of 'wrong') await h.press(ch);
    f = await h.waitForFrame((x) => x.includes('> password  *****█'), 'a masked password');
    expect(f).not.toContain('wrong');
    // Shift-Tab goes back a field, Tab on (the password field is last, so Tab would wrap to host).
    await h.pressUntil(KEYS.shiftTab, (x) => x.includes('> user      admin█'), 'Shift-Tab back to the user');
    await h.pressUntil(KEYS.tab, (x) => x.includes('> password  *****█'), 'Tab on to the password');
    f = await h.pressUntil(KEYS.enter, (x) => x.includes('Cannot connect:'), 'the login error');
    expect(f).toMatch(/401/);
    for (let i = 0; i < 5; i++) await h.press(KEYS.backspace);
    for (const ch of 'test-password-1') await h.press(ch);
    f = await h.pressUntil(KEYS.enter, (x) => x.includes('slow-scorer') && x.startsWith('Services on'), 'the services screen');
    const saved = await readFile(join(config, 'mlbatch', 'app.json'), 'utf8');
    expect(JSON.parse(saved)).toEqual({ host: fx.server.url, user: 'admin' });
    expect(saved).not.toContain('test-password');
    h.unmount();
  });

  it('filters services, composes a batch with inline record errors, starts it, and finds it among the executions', async () => {
    const bad = join(fx.work, 'bad.csv');
    const good = join(fx.work, 'good.csv');
    await writeFile(bad, 'id,value\n1,0.5\n2,abc\n');
    await writeFile(good, 'id,value,extra\n' + Array.from({ length: 30 }, (_, i) => `${i + 1},${i / 10},x`).join('\n') + '\n');
    const app = await renderApp(fx.client, { kind: 'services' }, { downloadDir: join(fx.work, 'd2') });
    const { h } = app;
    let f = await h.waitForFrame((x) => x.includes('transmission') && x.includes('slow-scorer'), 'the services');
    expect(lines(f)[1]).toMatch(/name +version +runtime +inputs +outputs +artifacts/);
    // At 80 columns a name is shown whole: cut, transmission and transmission-python looked alike.
    expect(f).toMatch(/^ {2}transmission-python +1\.0 +Python +hp, wt +probability +answer\.csv$/m);
    await h.press('/');
    for (const ch of 'slow') await h.press(ch);
    f = await h.pressUntil(KEYS.enter, (x) => x.includes('filter: slow') && !x.includes('transmission'), 'the filtered list');
    expect(f).toMatch(/^> slow-scorer +1\.0 +JavaScript +id, value/m);
    f = await h.pressUntil(KEYS.enter, (x) => x.includes('New batch of this service'), 'the actions');
    // The service's parameters are a table: inputs, then outputs.
    expect(f).toMatch(/^│ input +│ id +│ integer +│$/m);
    expect(f).toMatch(/^│ output +│ score +│ numeric +│$/m);
    f = await h.pressUntil('n', (x) => x.startsWith('New batch of slow-scorer 1.0'), 'compose');
    for (const ch of bad) await h.press(ch);
    f = await h.waitForFrame((x) => x.includes('X value:'), 'the inline error');
    expect(f).toMatch(/ {3}0 {2}id=1 {2}value=0\.5/);
    expect(f).toMatch(/ {3}1 {2}X value: .*abc/);
    expect(f).toContain('Fix the records file');
    // Enter on the path only moves on to parallel; there Enter is refused while rows are bad.
    f = await h.pressUntil(KEYS.enter, (x) => x.includes('> parallel  10█'), 'focus on parallel');
    f = await h.pressUntil(KEYS.enter, (x) => x.includes('The records have errors'), 'start refused');
    expect(f).toMatch(/^New batch of slow-scorer/);
    // ↑ goes back to the previous field (Tab and ↓ go on).
    await h.pressUntil(KEYS.up, (x) => x.includes(`> records   ${bad}█`), 'focus back on records');
    for (let i = 0; i < bad.length; i++) await h.press(KEYS.backspace);
    for (const ch of good) await h.press(ch);
    f = await h.waitForFrame((x) => x.includes('csv, columns id, value, extra'), 'the good preview');
    expect(f).toContain('note:');
    expect(f).toContain('Enter: on to parallel, where Enter starts');
    // Editing the path cleared the refusal, which was about the other file.
    expect(f).not.toContain('The records have errors');
    // A path pasted with its newline must not start a batch: Enter leads to parallel, nothing is sent.
    f = await h.pressUntil(KEYS.enter, (x) => x.includes('Enter starts the batch with parallel 10'), 'ready to start');
    expect(f).toMatch(/^New batch of slow-scorer/);
    expect((await fx.client.getService('slow-scorer', '1.0').then((sv) => sv.listBatchExecutions())).length).toBe(0);
    await h.press(KEYS.backspace);
    await h.press(KEYS.backspace);
    await h.press('3');
    f = await h.waitForFrame((x) => x.includes('> parallel  3█'), 'parallel 3');
    f = await h.pressUntil(KEYS.enter, (x) => /^Complete · parallel 3/m.test(x) && x.includes('30/30'), 'the started batch to complete', 30_000);
    const id = /^slow-scorer 1\.0 {2}([0-9a-f-]{36})/.exec(f)?.[1];
    expect(id).toBeTruthy();
    // Back to the service's actions, then its executions: Enter re-attaches.
    await h.pressUntil('q', (x) => x.startsWith('New batch of slow-scorer'), 'compose again');
    await h.pressUntil(KEYS.escape, (x) => x.includes('Executions of this service'), 'the actions');
    f = await h.pressUntil('e', (x) => x.includes(id!) && /Complete/.test(x), 'the executions list');
    expect(f).toMatch(new RegExp(`${id} +Complete +█+ +30/30`));
    f = await h.pressUntil(KEYS.enter, (x) => x.startsWith(`slow-scorer 1.0  ${id}`) && x.includes('30/30'), 're-attached');
    h.unmount();
  });

  it('shows a whole-file error in full, wrapped, however long', async () => {
    const missing = join(fx.work, 'a-records-file-with-a-rather-long-name-missing-a-column.csv');
    await writeFile(missing, 'cyl,hp,disp,drat,qsec\n4,90,100,3.9,16.5\n');
    const def = (await fx.client.listServices()).find((d) => d.name === 'transmission')!;
    const app = await renderApp(fx.client, { kind: 'compose', service: def }, { downloadDir: join(fx.work, 'd3') });
    const { h } = app;
    for (const ch of missing) await h.press(ch);
    const f = await h.waitForFrame((x) => x.includes('missing input column'), 'the file error');
    // Cut at 80 columns the end (what the header does have) was lost; wrapped it is all there.
    const text = f.split('\n').join(' ');
    expect(text).toMatch(/missing input column "wt" \(numeric\)/);
    expect(text).toMatch(/"cyl".*"qsec"/);
    expect(f).toContain('Fix the records file');
    h.unmount();
  });

  it('a bad record past the preview refuses the start with the whole error: file, line, record, column', async () => {
    const late = join(fx.work, 'a-records-file-whose-bad-record-is-past-the-preview.csv');
    await writeFile(late, 'hp,wt\n' + Array.from({ length: 30 }, (_, i) => `${i + 1},2.5`).join('\n') + '\nabc,3\n');
    const def = (await fx.client.listServices()).find((d) => d.name === 'transmission')!;
    const app = await renderApp(fx.client, { kind: 'compose', service: def }, { downloadDir: join(fx.work, 'd4') });
    const { h } = app;
    for (const ch of late) await h.press(ch);
    await h.waitForFrame((x) => x.includes('hp=8  wt=2.5'), 'a clean preview');
    await h.pressUntil(KEYS.enter, (x) => x.includes('Enter starts the batch'), 'ready to start');
    const f = await h.pressUntil(KEYS.enter, (x) => x.includes('Not started'), 'the refusal');
    const text = f.split('\n').slice(-4, -1).join(' ');
    expect(text).toMatch(/line 32 \(record 30\), column "hp": "abc" is not a number/);
    expect(f).toMatch(/^New batch of transmission/);
    expect(await fx.client.getService('transmission', '1.0').then((sv) => sv.listBatchExecutions())).toEqual([]);
    h.unmount();
  });

  it('a failed login shows its whole reason, wrapped under the form', async () => {
    // A port nothing listens on: taken, then freed.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const host = `http://127.0.0.1:${port}/a/rather/long/path/in/front/of/the/server`;
    const app = await renderApp(null, { kind: 'connect' }, { downloadDir: join(fx.work, 'd5'), start: (c) => c.store.getState().setConnection(host, 'admin', false) });
    const { h } = app;
    await h.waitForFrame((x) => x.includes('Connect to Machine Learning Server'), 'the connect screen');
    for (const ch of 'pw') await h.press(ch);
    const f = await h.pressUntil(KEYS.enter, (x) => x.includes('Cannot connect:'), 'the login error');
    const status = lines(f).slice(-4, -1).map((l) => l.trim()).filter(Boolean).join(' ');
    expect(status).toMatch(/^Cannot connect: /);
    expect(status.length).toBeGreaterThan(80);
    expect(status).not.toContain('…');
    h.unmount();
  });
});
