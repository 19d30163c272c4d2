import { describe, expect, it } from 'vitest';
import { classifyEntryName, normalizePath } from '../../../src/layers/index.js';

describe('entry names', () => {
  it('normalises ./ prefixes, duplicate and trailing slashes, and inner ..', () => {
    expect(normalizePath('./usr//lib/')).toBe('/usr/lib');
    expect(normalizePath('/a/./b/../c')).toBe('/a/c');
    expect(normalizePath('./')).toBe('/');
    expect(normalizePath('../etc/passwd')).toBeNull();
    expect(normalizePath('a/../../etc')).toBeNull();
  });

  it('recognises whiteouts and opaque markers', () => {
    expect(classifyEntryName('etc/.wh.passwd')).toEqual({ kind: 'whiteout', path: '/etc/passwd' });
    expect(classifyEntryName('.wh.tmp')).toEqual({ kind: 'whiteout', path: '/tmp' });
    expect(classifyEntryName('./var/cache/.wh..wh..opq')).toEqual({ kind: 'opaque', path: '/var/cache' });
    expect(classifyEntryName('.wh..wh.plnk/123')).toMatchObject({ kind: 'ignored' });
    expect(classifyEntryName('x/.wh..wh.aufs')).toMatchObject({ kind: 'ignored' });
    expect(classifyEntryName('./')).toEqual({ kind: 'root' });
  });

  it('refuses names that climb out of the root', () => {
    expect(classifyEntryName('../../etc/shadow')).toEqual({
      kind: 'ignored',
      reason: 'entry "../../etc/shadow" escapes the image root',
    });
  });
});
