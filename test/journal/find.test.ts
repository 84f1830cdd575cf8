/** The journal's lookups behind short ids: by prefix (any case) and the newest, each within a host, service or version. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openJournal } from '../../src/journal/journal.js';
import { checkIdText } from '../../src/journal/find-execution.js';
import { tempDir } from '../helpers.js';

describe('finding executions in the journal', () => {
  it('finds ids by prefix, newest first, within a scope; and the newest of a scope', async () => {
    const j = openJournal({ path: join(await tempDir(), 'j.sqlite') });
    const add = (host: string, service: string, version: string, id: string, startedAt: number) =>
      j.remember({ host, service, version, id, origin: 'run', startedAt });
    add('http://a:1', 'flaky', '1.0', 'abcdef12-0000', 1000);
    add('http://a:1', 'flaky', '2.0', 'ABCDEF34-0000', 3000);
    add('http://a:1', 'chart', '1.0', 'abcdff00-0000', 2000);
    add('http://b:1', 'flaky', '1.0', 'abcdef56-0000', 4000);
    // A prefix is text, not a pattern: _ and % match only themselves.
    add('http://a:1', 'flaky', '1.0', 'ab_def99-0000', 500);
    const ids = (scope = {}, prefix = 'abcdef') => j.withIdPrefix(prefix, scope).map((e) => e.id);
    expect(ids()).toEqual(['abcdef56-0000', 'ABCDEF34-0000', 'abcdef12-0000']);
    expect(ids({ host: 'http://a:1' })).toEqual(['ABCDEF34-0000', 'abcdef12-0000']);
    expect(ids({ host: 'http://a:1', service: 'flaky', version: '1.0' })).toEqual(['abcdef12-0000']);
    expect(ids({}, 'AbCdEf3')).toEqual(['ABCDEF34-0000']);
    expect(ids({}, 'ab%')).toEqual([]);
    expect(ids({}, 'ab_')).toEqual(['ab_def99-0000']);
    expect(j.newest({ host: 'http://a:1' })?.id).toBe('ABCDEF34-0000');
    expect(j.newest({ host: 'http://a:1', service: 'flaky', version: '1.0' })?.id).toBe('abcdef12-0000');
    expect(j.newest({ host: 'http://c:1' })).toBeUndefined();
    j.close();
  });

  it('refuses an id under 6 characters, but takes last', () => {
    expect(() => checkIdText('abcde')).toThrow('execution id "abcde" is too short: give at least 6 characters of it (or the whole id, or last)');
    expect(() => checkIdText('abcdef')).not.toThrow();
    expect(() => checkIdText('last')).not.toThrow();
  });
});
