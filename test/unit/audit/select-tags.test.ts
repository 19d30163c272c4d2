import { describe, expect, it } from 'vitest';
import { parseTagVersion, selectTags } from '../../../src/audit/index.js';

describe('tags read as versions, as Renovate reads Docker tags', () => {
  it('coerces up to three numbers, keeps a glued prerelease, and splits the variant at the first hyphen', () => {
    expect(parseTagVersion('1.25')).toEqual({ version: '1.25.0', variant: '' });
    expect(parseTagVersion('v2')).toEqual({ version: '2.0.0', variant: '' });
    expect(parseTagVersion('1.25.3-alpine')).toEqual({ version: '1.25.3', variant: 'alpine' });
    expect(parseTagVersion('3.12.1-slim-bookworm')).toEqual({ version: '3.12.1', variant: 'slim-bookworm' });
    expect(parseTagVersion('3.10rc1')).toEqual({ version: '3.10.0-rc1', variant: '' });
    for (const tag of ['latest', '1.2.3.4', 'sha-abc123', '', 'v', '1..2'])
      expect(parseTagVersion(tag)).toBeNull();
  });

  const tags = [
    'latest',
    '1.19',
    '1.20',
    '1.20-alpine',
    '1.25.3',
    '1.25.3-alpine',
    '2.0',
    '2.0-alpine',
    '1.21rc1',
    'edge',
  ];

  it('selects a range over the tags without a variant, in version order', () => {
    expect(selectTags(tags, { range: '>=1.20 <2' })).toEqual(['1.20', '1.25.3']);
  });

  it('selects a variant only when asked, exactly', () => {
    expect(selectTags(tags, { range: '>=1.20 <2', variant: 'alpine' })).toEqual([
      '1.20-alpine',
      '1.25.3-alpine',
    ]);
    expect(selectTags(tags, { range: '*', variant: 'alp' })).toEqual([]);
  });

  it('adds tags a regex matches, after the versions, by name', () => {
    expect(selectTags(tags, { range: '^2', regex: '^(latest|edge)$' })).toEqual(['2.0', 'edge', 'latest']);
    expect(selectTags(tags, { regex: 'alpine$' })).toEqual(['1.20-alpine', '1.25.3-alpine', '2.0-alpine']);
  });

  it('leaves prereleases out of a range, as semver does', () => {
    expect(selectTags(tags, { range: '>=1.21 <1.22' })).toEqual([]);
  });

  it('refuses a range or regex that does not parse (exit 2)', () => {
    expect(() => selectTags(tags, { range: 'not a range' })).toThrow(
      /--tags "not a range" is not a semver range/,
    );
    expect(() => selectTags(tags, { regex: '(' })).toThrow(/--tags-regex "\(": /);
  });

  it('handles 100,000 tags', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => `1.${Math.floor(i / 100)}.${i % 100}`);
    const chosen = selectTags(many, { range: '>=1.999.98' });
    expect(chosen).toEqual(['1.999.98', '1.999.99']);
  });
});
