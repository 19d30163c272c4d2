/**
 * Which files' bodies are read for credentials, and what is looked for. Only kinds are kept
 * (`npm-token`), never the matched text. Names decide which files are scanned, so an image's
 * bulk (libraries, binaries) is never buffered; a candidate is read up to `MAX_SCAN_BYTES`.
 */
export const MAX_SCAN_BYTES = 256 * 1024;

interface ContentCheck {
  kind: string;
  pattern: RegExp;
}

const PRIVATE_KEY: ContentCheck = {
  kind: 'private-key',
  pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/,
};
const AWS_KEY: ContentCheck = { kind: 'aws-access-key', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ };

/** The checks to run on a file, by its path; empty when the file is not a candidate. */
export function secretChecks(path: string): ContentCheck[] {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name === '.npmrc') return [{ kind: 'npm-token', pattern: /(?:_authToken|_auth|_password)\s*=\s*\S/ }];
  if (name === '.pypirc') return [{ kind: 'pypi-password', pattern: /^\s*password\s*[=:]\s*\S/m }];
  if (name === '.netrc') return [{ kind: 'netrc-password', pattern: /\bpassword\s+\S/ }];
  if (name === 'config.json' && path.endsWith('/.docker/config.json')) {
    return [{ kind: 'docker-auth', pattern: /"(?:auth|identitytoken)"\s*:\s*"[^"]+"/ }];
  }
  if (/\.(?:pem|key|p8)$/.test(name)) return [PRIVATE_KEY];
  if (name === 'config' && path.endsWith('/.kube/config')) {
    return [{ kind: 'kubeconfig-credentials', pattern: /^\s*(?:token|client-key-data|password):\s*\S/m }];
  }
  if (/\.json$/.test(name) && /credential|service[-_]?account|key/i.test(name)) {
    return [{ kind: 'cloud-service-account-key', pattern: /"private_key"\s*:\s*"-----BEGIN/ }];
  }
  if (name === '.env' || name.startsWith('.env.') || name === 'credentials' || name.endsWith('.properties')) {
    return [AWS_KEY, PRIVATE_KEY];
  }
  return [];
}

/** The kinds of secret the checks find in a file's (leading) content. */
export function scanForSecrets(checks: ContentCheck[], content: Buffer): string[] {
  const text = content.toString('latin1');
  return checks.filter((check) => check.pattern.test(text)).map((check) => check.kind);
}
