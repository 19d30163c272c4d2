/**
 * The next page of a registry listing, from its `Link` header (RFC 8288, as the distribution
 * spec uses it: `</v2/_catalog?last=b&n=100>; rel="next"`). Only `rel="next"` counts.
 */
export function nextPageLink(header: string | string[] | undefined): string | null {
  const values = header === undefined ? [] : Array.isArray(header) ? header : [header];
  for (const value of values) {
    for (const match of value.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]*)*)/g)) {
      const params = match[2] ?? '';
      if (/;\s*rel\s*=\s*"?(?:[^";,]*\s)?next(?:\s[^";,]*)?"?/i.test(params)) return match[1] ?? null;
    }
  }
  return null;
}
