/**
 * Masks what looks like a credential in text imgscope did not write itself (a credential
 * helper's error, a library's debug output): Authorization headers, passwords in URLs, JSON
 * or form fields named like secrets, and JWTs. The shapes are matched, not the values, so it
 * also covers secrets imgscope never saw (what a failing helper held).
 */
const REDACTED = '[redacted]';

const RULES: [RegExp, string][] = [
  // "Authorization: Basic dXNlcjpwYXNz", "Proxy-Authorization: Bearer eyJ…" (also inspected strings, "\r\n" escaped).
  [/((?:proxy-)?authorization["']?\s*[:=]\s*["']?[A-Za-z][\w-]*\s+)[^\s"',\\]+/gi, `$1${REDACTED}`],
  // scheme://user:password@host
  [/([a-z][a-z0-9+.-]*:\/\/[^\s:/@"']*:)[^\s@/"']+@/gi, `$1${REDACTED}@`],
  // "Secret":"…", password=…, refresh_token=…, "identitytoken": "…", "auth":"…"
  [
    /(["']?\b(?:secret|password|passwd|token|access_token|refresh_token|identitytoken|identity_token|auth)\b["']?\s*[:=]\s*["']?)[^\s"'&,;}\\]+/gi,
    `$1${REDACTED}`,
  ],
  // A JWT anywhere (three base64url parts, the first a JSON header).
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, REDACTED],
];

export function redactCredentials(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out;
}
