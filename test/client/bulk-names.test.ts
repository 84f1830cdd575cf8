import { describe, expect, it } from 'vitest';
import { artifactNamesFromResults } from '../../src/index.js';

describe('artifactNamesFromResults', () => {
  const results: Record<number, string[]> = { 0: ['a.csv', 'scratch.tmp'], 1: [], 3: ['b.png'] };
  const result = (i: number) => (i in results ? { raw: { changedFiles: results[i] } } : undefined);

  it('keeps only declared artifacts of changedFiles, and asks the server when unsure', () => {
    const names = artifactNamesFromResults(result, ['a.csv', 'b.png']);
    expect(names(0)).toEqual(['a.csv']); // a changed file that is not an artifact is not fetched
    expect(names(1)).toBeUndefined(); // nothing reported: list it with a call
    expect(names(2)).toBeUndefined(); // no result yet
    expect(names(3)).toEqual(['b.png']);
  });

  it('never guesses when the service declares no artifacts', () => {
    expect(artifactNamesFromResults(result, [])(0)).toBeUndefined();
  });
});
