/**
 * Which variable names say "this is a secret", and how to keep their values out of every text
 * imgscope prints. A name is split into words (`DB_PASSWORD`, `apiKey`, `AWS_SECRET_ACCESS_KEY`);
 * `*_GPG_KEY` (a public key fingerprint, as in the official python image) and `*_FILE` (a path to
 * a mounted secret) are not secrets.
 */
const SECRET_WORDS = new Set([
  'PASSWORD',
  'PASSWD',
  'PASS',
  'SECRET',
  'SECRETS',
  'TOKEN',
  'KEY',
  'APIKEY',
  'ACCESSKEY',
  'CREDENTIAL',
  'CREDENTIALS',
  'PRIVATEKEY',
  'AUTHTOKEN',
]);

export function isSecretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  if (words.length === 0) return false;
  const last = words.at(-1);
  if (last === 'FILE' || last === 'PATH' || last === 'DIR') return false;
  if (last === 'KEY' && words.at(-2) === 'GPG') return false;
  if (last === 'KEYS' && words.at(-2) === 'GPG') return false;
  if (words.includes('PUBLIC')) return false;
  return words.some((word) => SECRET_WORDS.has(word));
}

const ASSIGNMENT = /([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s"']*)/g;
/** npm's `//host/:_authToken=…` and `_auth=…`, `--password …`-style flags. */
const INLINE_CREDENTIAL = /(:_authToken=|:_auth=|:_password=|--(?:password|token|secret)(?:=|\s+))[^\s"']+/g;
/** `scheme://user:password@host`. */
const URL_CREDENTIAL = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi;

/** Replaces the values of secret-named assignments (`TOKEN=abc`) with `<redacted>`. */
export function redactSecrets(text: string): string {
  return text
    .replace(ASSIGNMENT, (whole, name: string) => (isSecretName(name) ? `${name}=<redacted>` : whole))
    .replace(INLINE_CREDENTIAL, '$1<redacted>')
    .replace(URL_CREDENTIAL, '$1<redacted>@');
}
