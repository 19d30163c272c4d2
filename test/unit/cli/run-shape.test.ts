import { describe, expect, it } from 'vitest';
import { runShape } from '../../../src/cli/launch.js';

const shape = (id: string, argv: string[]): string => runShape({ id, argv });

describe('runShape: one code cache per command and the options that choose its code', () => {
  it('names the command alone when no option is given', () => {
    expect(shape('analyze', ['app.tar'])).toBe('analyze');
    expect(shape('cache:list', [])).toBe('cache-list');
  });

  it('the same options in any order, with any values but the format, share a cache', () => {
    const ci = shape('analyze', ['a.tar', '--ci', '--json', '--top', '3']);
    expect(ci).toMatch(/^analyze-[0-9a-f]{8}$/);
    expect(shape('analyze', ['b.tar', '--top=20', '--json', '--ci'])).toBe(ci);
    expect(shape('analyze', ['a.tar', '--ci', '--json'])).not.toBe(ci);
  });

  it('the format is part of the shape, however it is written', () => {
    const json = shape('analyze', ['a.tar', '--format', 'json']);
    expect(shape('analyze', ['a.tar', '--format=json'])).toBe(json);
    expect(shape('analyze', ['a.tar', '-f', 'json'])).toBe(json);
    expect(shape('analyze', ['a.tar', '--format', 'table'])).not.toBe(json);
  });

  it('what follows -- is an argument, not an option', () => {
    expect(shape('analyze', ['--', '--json'])).toBe('analyze');
  });
});
