import { describe, expect, it } from 'vitest';
import { closestName } from '../../../src/cli/suggest.js';

const commands = ['analyze', 'diff', 'rules', 'cache:list', 'cache:prune', 'help', 'version'];

describe('closestName', () => {
  it('finds the command a typo meant', () => {
    expect(closestName('analyse', commands)).toBe('analyze');
    expect(closestName('dif', commands)).toBe('diff');
    expect(closestName('cache:lst', commands)).toBe('cache:list');
    expect(closestName('--tpo', ['--top', '--timeout', '--platform'])).toBe('--top');
  });

  it('suggests nothing for a word that is not near any name', () => {
    expect(closestName('frobnicate', commands)).toBeUndefined();
    expect(closestName('x', ['--top'])).toBeUndefined();
    expect(closestName('anything', [])).toBeUndefined();
  });

  it('allows more edits in a longer word, never more than 3', () => {
    expect(closestName('--concurency', ['--concurrency'])).toBe('--concurrency');
    expect(closestName('--highest-wasted', ['--highest-wasted-bytes'])).toBeUndefined();
  });
});
