/**
 * Which variable names say "this is a secret", and how to keep their values out of every text
 * imgscope prints. A name is split into words (`DB_PASSWORD`, `apiKey`, `AWS_SECRET_ACCESS_KEY`).
 * Two tests: `mentionsSecret` (a secret word anywhere) decides what is redacted, erring on the
 * safe side; `isSecretName` (the name ends in a secret word) decides what is reported as an
 * exposed credential, so `PASS_MAX_DAYS`, `TOKEN_URL` and `KEY_ALGORITHM` (settings about
 * secrets) are not. `*_GPG_KEY` (a public key fingerprint, as in the official python image) and
 * `*_FILE` (a path to a mounted secret) are neither.
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

/** Words after a secret word that still name its value: Rails' `SECRET_KEY_BASE`, `TOKEN_VALUE`. */
const VALUE_WORDS = new Set(['BASE', 'VALUE', 'DATA', 'STRING', 'B64', 'BASE64']);

function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
}

/** A public key, a path or a file holding the secret: never a secret itself. */
function namesNoSecret(words: string[]): boolean {
  const last = words.at(-1);
  if (last === 'FILE' || last === 'PATH' || last === 'DIR') return true;
  if ((last === 'KEY' || last === 'KEYS') && words.at(-2) === 'GPG') return true;
  return words.includes('PUBLIC');
}

/** A secret word anywhere in the name (what redaction hides). */
export function mentionsSecret(name: string): boolean {
  const words = wordsOf(name);
  return words.length > 0 && !namesNoSecret(words) && words.some((word) => SECRET_WORDS.has(word));
}

/** The name ends in a secret word (`DB_PASSWORD`, `GITHUB_TOKEN`, `SECRET_KEY_BASE`). */
export function isSecretName(name: string): boolean {
  const words = wordsOf(name);
  if (words.length === 0 || namesNoSecret(words)) return false;
  const last = words.at(-1) ?? '';
  if (SECRET_WORDS.has(last)) return true;
  return VALUE_WORDS.has(last) && SECRET_WORDS.has(words.at(-2) ?? '');
}

/** Values that hold no credential whatever the name: a path, a variable, a placeholder... */
const NOT_A_SECRET_VALUE = [
  /^(?:\/|\.\.?\/|~\/)/, // a path (to a mounted secret, a key file)
  /^\$\{?[A-Za-z_]/, // a reference to another variable
  /^[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+(?:[:/][^\s@]*)?$/i, // a URL without user:password@
  /^(?:true|false|yes|no|on|off|none|null|nil|0|1|-)$/i,
  /^(?:change[-_ ]?me|changeit|password|secret|example|placeholder|dummy|test|todo|xxx+|\*+|<[^>]*>|\[[^\]]*\]|\{\{.*\}\})$/i,
];

/**
 * Whether a value (of a secret-named ENV or build arg) has the shape of a credential: at least
 * 4 characters, and none of the shapes above.
 */
export function looksLikeSecretValue(value: string): boolean {
  const v = value.trim().replace(/^(["'])(.*)\1$/, '$2');
  return v.length >= 4 && !NOT_A_SECRET_VALUE.some((shape) => shape.test(v));
}

const ASSIGNMENT = /([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s"']*)/g;
/** npm's `//host/:_authToken=…` and `_auth=…`, `--password …`-style flags. */
const INLINE_CREDENTIAL = /(:_authToken=|:_auth=|:_password=|--(?:password|token|secret)(?:=|\s+))[^\s"']+/g;
/** `scheme://user:password@host`. */
const URL_CREDENTIAL = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi;

/** Replaces the values of secret-named assignments (`TOKEN=abc`) with `<redacted>`. */
export function redactSecrets(text: string): string {
  // Most texts (titles, advice, messages) hold none of the three shapes: a run then compiles and
  // runs none of their expressions, which cost about a millisecond of a small image's start.
  const assigns = text.includes('=');
  const flagged = assigns || text.includes('--');
  const withUrl = text.includes('://');
  if (!flagged && !withUrl) return text;
  let redacted = text;
  if (assigns) {
    redacted = redacted.replace(ASSIGNMENT, (whole, name: string) =>
      mentionsSecret(name) ? `${name}=<redacted>` : whole,
    );
  }
  if (flagged) redacted = redacted.replace(INLINE_CREDENTIAL, '$1<redacted>');
  return withUrl ? redacted.replace(URL_CREDENTIAL, '$1<redacted>@') : redacted;
}
