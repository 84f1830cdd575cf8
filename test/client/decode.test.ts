import { describe, expect, it } from 'vitest';
import {
  castValue, decodeArtifactBody, decodeExecutionState, decodePoll, decodeServices, MlBatchHttpError, pick, ServiceResponse,
} from '../../src/index.js';

describe('tolerant decoding', () => {
  it('reads keys in any case', () => {
    expect(pick({ BatchExecutionId: 'a' }, 'batchExecutionId')).toBe('a');
    expect(pick({ STATE: 'x' }, 'state')).toBe('x');
    expect(pick(null, 'state')).toBeUndefined();
  });

  it('treats unknown execution states as in progress', () => {
    expect(decodeExecutionState('complete')).toBe('Complete');
    expect(decodeExecutionState('Cancelled')).toBe('Canceled');
    expect(decodeExecutionState('Queued-Somewhere')).toBe('InProgress');
    expect(decodeExecutionState(undefined)).toBe('InProgress');
  });

  it('reads a poll with no results key as empty results', () => {
    expect(decodePoll({ State: 'InProgress', TotalItemCount: '5', CompletedItemCount: 2 })).toEqual({
      state: 'InProgress', rawState: 'InProgress', totalItemCount: 5, completedItemCount: 2, results: [],
    });
  });

  it('reads services given as one object, an array, or null', () => {
    expect(decodeServices({ name: 'a', version: '1' }).map((s) => s.name)).toEqual(['a']);
    expect(decodeServices([{ Name: 'b', Version: '2', OutputFileNames: null }])[0]).toMatchObject({ name: 'b', version: '2', outputFileNames: [] });
    expect(decodeServices(null)).toEqual([]);
  });

  it('decodes base64 JSON artifact bodies, and only those', () => {
    const b64 = Buffer.from(JSON.stringify('aGVsbG8='));
    expect(decodeArtifactBody(b64, 'application/json').toString()).toBe('hello');
    const plain = Buffer.from('"just words"');
    expect(decodeArtifactBody(plain, 'application/json')).toBe(plain);
    const obj = Buffer.from('{"a":1}');
    expect(decodeArtifactBody(obj, 'application/json')).toBe(obj);
    expect(decodeArtifactBody(b64, 'text/csv')).toBe(b64);
  });
});

describe('casting outputs by the schema', () => {
  it.each([
    [[3.7], 'integer', 3],
    ['12', 'numeric', 12],
    [['TRUE'], 'logical', true],
    [0, 'logical', false],
    [[42], 'character', '42'],
    [5, 'vector', [5]],
    [[1, 2], 'matrix', [[1], [2]]],
    [[{ a: 1 }, { a: 2, b: 'x' }], 'data.frame', { a: [1, 2], b: [null, 'x'] }],
    ['not a number', 'numeric', 'not a number'],
  ] as const)('%j as %s is %j', (value, type, want) => {
    expect(castValue(value, type)).toEqual(want);
  });

  it('gives outputs cast, raw outputs as sent, and inline artifacts decoded', () => {
    const r = new ServiceResponse({
      Success: true, ErrorMessage: '', ConsoleOutput: 'hi', OutputParameters: { P: ['0.25'] },
      OutputFiles: { 'a.txt': Buffer.from('abc').toString('base64') },
    }, [{ name: 'p', type: 'numeric' }]);
    expect(r.outputs).toEqual({ p: 0.25 });
    expect(r.output('p')).toBe(0.25);
    expect(r.rawOutputs).toEqual({ P: ['0.25'] });
    expect(r.artifacts).toEqual(['a.txt']);
    expect(r.artifact('a.txt')?.toString()).toBe('abc');
    expect(r.consoleOutput).toBe('hi');
    expect(r.success).toBe(true);
  });

  it('reads a failed result with only an error message as failed', () => {
    expect(new ServiceResponse({ errorMessage: 'boom' }).success).toBe(false);
  });
});

describe('errors read as advice', () => {
  it('names status, method, path and what to do', () => {
    const e = new MlBatchHttpError(401, 'POST', 'http://h:1/login', 'Invalid credentials');
    expect(e.message).toBe('401 Unauthorized from POST /login: check the user name and password (server said: Invalid credentials)');
    expect(e).toMatchObject({ status: 401, method: 'POST', url: 'http://h:1/login' });
  });
});
