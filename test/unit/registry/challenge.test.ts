import { describe, expect, it } from 'vitest';
import { parseChallenges } from '../../../src/registry/challenge.js';

describe('parseChallenges', () => {
  it('parses a Bearer challenge with quoted params', () => {
    expect(
      parseChallenges(
        'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:library/nginx:pull"',
      ),
    ).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.example/token',
          service: 'registry.example',
          scope: 'repository:library/nginx:pull',
        },
      },
    ]);
  });
  it('parses Basic and several challenges, commas inside quotes and escapes', () => {
    expect(parseChallenges('Basic realm="a, b \\"c\\"", Bearer realm=x,service=y')).toEqual([
      { scheme: 'basic', params: { realm: 'a, b "c"' } },
      { scheme: 'bearer', params: { realm: 'x', service: 'y' } },
    ]);
  });
  it('keeps a scope with several actions', () => {
    const [c] = parseChallenges('Bearer realm="r",scope="repository:a/b:pull,push"');
    expect(c?.params.scope).toBe('repository:a/b:pull,push');
  });
  it('returns nothing for an empty header', () => {
    expect(parseChallenges('')).toEqual([]);
  });
});
