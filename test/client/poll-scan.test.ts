/** The poll scanner agrees with JSON.parse + decodePoll on any body, falls back on surprises, decodes lazily. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, decodePoll, itemCodeOf, Poller, PollState, type Client } from '../../src/index.js';
import { scanPoll } from '../../src/client/poll-scan.js';
import { sendJson, tinyServer } from '../helpers.js';

/** A small deterministic PRNG so a failure can be replayed from its seed. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 2 ** 32;
  };
}

const NASTY = ['"', '{', '}', '[', ']', '\\', ',', ':', '\n', '\t', 'é', '😀', '\u0000', '\u2028', 'null', ' ', 'a'];

function gen(seed: number): string {
  const r = rng(seed);
  const pickOne = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const ws = () => (r() < 0.7 ? '' : pickOne([' ', '\n', '\t', '\r\n  ']));
  const str = (): string => {
    let s = '';
    const n = Math.floor(r() * 8);
    for (let i = 0; i < n; i++) s += pickOne(NASTY);
    // Sometimes escape plain characters too (\u0061 for a) so escaped text is exercised.
    const json = JSON.stringify(s);
    return r() < 0.2 ? json.replace(/a/g, '\\u0061') : json;
  };
  const value = (depth: number): string => {
    const k = r();
    if (depth > 3 || k < 0.35) return pickOne(['1', '-2.5e3', 'true', 'false', 'null', '0', str(), str()]);
    if (k < 0.65) {
      const n = Math.floor(r() * 4);
      return `[${ws()}${Array.from({ length: n }, () => value(depth + 1)).join(`${ws()},${ws()}`)}${ws()}]`;
    }
    const n = Math.floor(r() * 4);
    return `{${ws()}${Array.from({ length: n }, () => `${str()}${ws()}:${ws()}${value(depth + 1)}`).join(`${ws()},${ws()}`)}${ws()}}`;
  };
  const casing = (key: string) => pickOne([key, key[0].toUpperCase() + key.slice(1), key.toUpperCase(), key.toLowerCase()]);
  const keyText = (key: string) => {
    const k = JSON.stringify(casing(key));
    return r() < 0.1 ? k.replace(/e/g, '\\u0065') : k;
  };
  const member = (key: string, v: string) => `${keyText(key)}${ws()}:${ws()}${v}`;
  const element = (): string => {
    const k = r();
    if (k < 0.15) return 'null';
    if (k < 0.2) return value(2);
    const members: string[] = [];
    if (r() < 0.6) members.push(member('state', pickOne(['"Complete"', '"Failed"', '"running"', '"CANCELED"', '"Pending"', '"weird"', '1', 'null', '"C\\u006fmplete"'])));
    if (r() < 0.7) members.push(member('success', pickOne(['true', 'false', '"false"', '"False"', '"FALSE"', 'null', '0'])));
    if (r() < 0.6) members.push(member('errorMessage', pickOne(['""', '"boom"', 'null', '"\\n"', str()])));
    if (r() < 0.1) members.push(member(pickOne(['state', 'success', 'errorMessage']), pickOne(['"Failed"', 'false', '"x"'])));
    if (r() < 0.8) members.push(member('outputParameters', value(1)));
    if (r() < 0.5) members.push(member('consoleOutput', str()));
    if (r() < 0.3) members.push(member('index', String(Math.floor(r() * 100))));
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [members[i], members[j]] = [members[j], members[i]];
    }
    return `{${ws()}${members.join(`${ws()},${ws()}`)}${ws()}}`;
  };
  const top: string[] = [];
  if (r() < 0.9) top.push(member('state', pickOne(['"Complete"', '"InProgress"', '"in progress"', '"Cancelled"', 'null', '3'])));
  if (r() < 0.9) top.push(member('totalItemCount', pickOne(['5', '"7"', '2.9', '-1', 'null', '1e2'])));
  if (r() < 0.9) top.push(member('completedItemCount', pickOne(['3', '"4"', 'null'])));
  if (r() < 0.3) top.push(member('other', value(0)));
  if (r() < 0.9) {
    const n = Math.floor(r() * 12);
    const list = r() < 0.1 ? 'null' : `[${ws()}${Array.from({ length: n }, element).join(`${ws()},${ws()}`)}${ws()}]`;
    top.push(member('batchExecutionResults', list));
  }
  return `${ws()}{${ws()}${top.join(`${ws()},${ws()}`)}${ws()}}${ws()}`;
}

describe('scanPoll', () => {
  it('agrees with JSON.parse + decodePoll on 3000 generated bodies', () => {
    let scanned = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const text = gen(seed);
      const parsed = JSON.parse(text) as unknown;
      const expected = decodePoll(parsed);
      const got = scanPoll(text);
      if (!got) continue; // a fallback is always allowed; it must stay rare (checked below)
      scanned++;
      const where = `seed ${seed}: ${text}`;
      expect({ ...got, results: got.results, lazy: undefined }, where).toEqual({ ...expected, lazy: undefined });
      for (let i = 0; i < expected.results.length; i++) {
        expect(got.lazy.code(i), `${where} [${i}]`).toBe(itemCodeOf(expected.results[i]));
        expect(got.lazy.raw(i), `${where} [${i}]`).toEqual(expected.results[i]);
      }
    }
    expect(scanned).toBeGreaterThan(2500);
  });

  it('takes the full parse for anything unexpected', () => {
    for (const text of [
      '', '   ', '[]', '"x"', 'null', '{"state":"Compl', '{"state":"Complete",', '{"state":"Complete"} x',
      '{"batchExecutionResults":[{"a":[}]}]}', '{"batchExecutionResults":[{"a":1}', '\uFEFF{"state":"Complete"}',
      '{"state":"Complete","State":"Failed"}', '{"batchExecutionResults":[],"BatchExecutionResults":[null]}',
      '{"state":tru}', '{"totalItemCount":5 6}', '{"batchExecutionResults":[1 2]}', '{"a" 1}',
    ]) expect(scanPoll(text), JSON.stringify(text)).toBeUndefined();
  });

  it('reads PascalCase and escaped keys, null or missing lists, and nested brackets in strings', () => {
    const poll = scanPoll('{"State":"Complete","TOTALITEMCOUNT":"3","completed\\u0049temCount":2,"BatchExecutionResults":'
      + '[{"Success":"False","outputParameters":{"s":"]}\\"{["}},null,{"errorMessage":"","state":"Running"}]}')!;
    expect([poll.state, poll.totalItemCount, poll.completedItemCount, poll.lazy.length]).toEqual(['Complete', 3, 2, 3]);
    expect([poll.lazy.code(0), poll.lazy.code(1), poll.lazy.code(2)]).toEqual([3, -1, 1]);
    expect(poll.lazy.raw(0)).toEqual({ Success: 'False', outputParameters: { s: ']}"{[' } });
    expect(scanPoll('{"state":"InProgress","batchExecutionResults":null}')!.results).toEqual([]);
    expect(scanPoll('{"state":"InProgress"}')!.lazy.length).toBe(0);
    // Inside an element only brackets are checked up front; a bad token shows when that index is read.
    const bad = scanPoll('{"batchExecutionResults":[{"x" 1},{"y":[1,]}]}')!;
    expect(bad.lazy.raw(0)).toMatchObject({ success: false, errorMessage: expect.stringMatching(/index 0: it is not valid JSON/) });
    expect(bad.lazy.raw(1)).toMatchObject({ success: false, errorMessage: expect.stringMatching(/index 1/) });
  });
});

describe('PollState fed scanned answers', () => {
  it('keeps earlier results when answers get shorter, however many times in a row', () => {
    const item = (y: number) => `{"success":true,"outputParameters":{"y":${y}}}`;
    const body = (items: string[]) => `{"state":"InProgress","totalItemCount":6,"completedItemCount":6,"batchExecutionResults":[${items.join(',')}]}`;
    const state = new PollState(2);
    state.apply(scanPoll(body([0, 1, 2, 3, 4, 5].map(item)))!, true);
    // A real server may send fewer elements later; each shorter answer overrides only what it carries.
    for (let k = 5; k >= 1; k--) state.apply(scanPoll(body([...Array(k - 1).fill('null'), item(100 + k)]))!, true);
    expect([0, 1, 2, 3, 4, 5].map((i) => state.result(i)?.rawOutputs.y)).toEqual([101, 102, 103, 104, 105, 5]);
    expect(Array.from(state.items)).toEqual([2, 2, 2, 2, 2, 2]);
  });
});

describe('lazy decoding through a poll', () => {
  let server: Awaited<ReturnType<typeof tinyServer>>;
  let client: Client;
  // Balanced but not JSON inside element 1: only reading that index can tell.
  const BODY = '{"state":"Complete","totalItemCount":3,"completedItemCount":3,"batchExecutionResults":['
    + '{"success":true,"outputParameters":{"y":2}},{"success":true,"outputParameters":{"y":tru}},'
    + '{"success":false,"errorMessage":"x is not defined"}]}';

  beforeAll(async () => {
    server = await tinyServer((req, res) => {
      const p = new URL(req.url ?? '/', 'http://x').pathname;
      if (p === '/login') return sendJson(res, 200, { access_token: 't', expires_in: 3600 });
      if (p === '/services/s/1') {
        return sendJson(res, 200, { name: 's', version: '1', inputParameterDefinitions: [], outputParameterDefinitions: [{ name: 'y', type: 'numeric' }] });
      }
      if (p === '/api/s/1/batch/BADITEM') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(BODY);
      }
      sendJson(res, 404, { message: 'nope' });
    });
    client = await connect({ host: server.url, username: 'u', password: 'p', retries: 0 });
  });
  afterAll(async () => server?.close());

  it('shows a malformed element as a failed result naming its index, and the others as sent', async () => {
    const batch = (await client.getService('s', '1')).getBatch('BADITEM');
    const snap = await new Poller(batch).pollOnce();
    expect(Array.from(snap.items)).toEqual([2, 2, 3]);
    expect(snap.result(0)?.output('y')).toBe(2);
    expect(snap.result(2)?.error).toBe('x is not defined');
    const bad = snap.result(1)!;
    expect(bad.success).toBe(false);
    expect(bad.error).toMatch(/result for index 1: it is not valid JSON/);
    const response = await batch.results();
    expect(response.resultCount).toBe(3);
    expect(response.execution(1)?.error).toMatch(/index 1/);
    expect(response.execution(0)?.outputs).toEqual({ y: 2 });
    expect(response.execution(3)).toBeUndefined();
  });
});
