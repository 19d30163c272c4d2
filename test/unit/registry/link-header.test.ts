import { describe, expect, it } from 'vitest';
import { nextPageLink } from '../../../src/registry/link-header.js';

describe('the next page from a Link header', () => {
  it('reads rel="next" as distribution writes it, and only that', () => {
    expect(nextPageLink('</v2/_catalog?last=b&n=2>; rel="next"')).toBe('/v2/_catalog?last=b&n=2');
    expect(nextPageLink('<https://r.example/v2/x/tags/list?last=1>; rel=next')).toBe(
      'https://r.example/v2/x/tags/list?last=1',
    );
    expect(nextPageLink('</a>; rel="prev", </b>; rel="next"')).toBe('/b');
    expect(nextPageLink(['</a>; rel="prev"', '</c>; rel="next"'])).toBe('/c');
    expect(nextPageLink('</a>; rel="prev"')).toBeNull();
    expect(nextPageLink(undefined)).toBeNull();
  });
});
