import { describe, expect, it } from 'vitest';
import {
  isSecretName,
  looksLikeSecretValue,
  parseShell,
  redactSecrets,
} from '../../../src/findings/index.js';
import { dockerfileLine, parseCreatedBy } from '../../../src/model/index.js';
import { fixAptRun, fixApkRun, fixPipRun } from '../../../src/findings/package-advice.js';

describe('parseCreatedBy', () => {
  it.each([
    ['/bin/sh -c apt-get update', 'RUN', 'apt-get update', []],
    ['RUN /bin/sh -c apt-get update && make # buildkit', 'RUN', 'apt-get update && make', []],
    ['|2 A=1 NPM_TOKEN=x /bin/sh -c npm ci', 'RUN', 'npm ci', ['A', 'NPM_TOKEN']],
    ['RUN |1 TOKEN=abc /bin/sh -c make # buildkit', 'RUN', 'make', ['TOKEN']],
    ['/bin/bash -o pipefail -c curl x | sh', 'RUN', 'curl x | sh', []],
    ['RUN apt-get update # buildkit', 'RUN', 'apt-get update', []],
    ['/bin/sh -c #(nop)  ENV PYTHONUNBUFFERED=1', 'ENV', 'PYTHONUNBUFFERED=1', []],
    [
      '/bin/sh -c #(nop) COPY file:0e4c5a3e2cbbc3bd4c8f0c1c in /app/ ',
      'COPY',
      'file:0e4c5a3e2cbb… /app/',
      [],
    ],
    ['/bin/sh -c #(nop) ADD dir:8a3c1f6e2d9b7a5c4e3f in /srv ', 'ADD', 'dir:8a3c1f6e2d9b… /srv', []],
    ['COPY requirements.txt . # buildkit', 'COPY', 'requirements.txt .', []],
    ['USER 10001:10001', 'USER', '10001:10001', []],
    ['WORKDIR /app', 'WORKDIR', '/app', []],
    ['', '', '', []],
  ])('%s', (createdBy, keyword, args, buildArgNames) => {
    expect(parseCreatedBy(createdBy)).toEqual({ keyword, args, buildArgNames });
  });

  it('hands each caller of the same text a result no caller can change for the next', () => {
    const first = parseCreatedBy('|1 TOKEN=abc /bin/sh -c make');
    expect(() => {
      (first as { args: string }).args = 'changed';
    }).toThrow(TypeError);
    expect(() => (first.buildArgNames as string[]).push('OTHER')).toThrow(TypeError);
    expect(parseCreatedBy('|1 TOKEN=abc /bin/sh -c make')).toEqual({
      keyword: 'RUN',
      args: 'make',
      buildArgNames: ['TOKEN'],
    });
  });

  it('writes the Dockerfile line without build-arg values', () => {
    expect(dockerfileLine(parseCreatedBy('|1 TOKEN=secret /bin/sh -c make'))).toBe('RUN make');
  });
});

describe('parseShell', () => {
  it('splits at top-level operators, keeps quotes and offsets', () => {
    const line = `apt-get install -y "a b" && echo 'x && y' 2>&1 | tee log; true`;
    const commands = parseShell(line);
    expect(commands.map((c) => c.words.map((w) => w.text))).toEqual([
      ['apt-get', 'install', '-y', 'a b'],
      ['echo', 'x && y', '2>&1'],
      ['tee', 'log'],
      ['true'],
    ]);
    expect(commands.map((c) => c.separator)).toEqual(['&&', '|', ';', '']);
    expect(parseShell('apt-get \\\n  install -y a\\\nb').map((c) => c.words.map((w) => w.text))).toEqual([
      ['apt-get', 'install', '-y', 'ab'],
    ]);
    const quoted = commands[0]?.words[3];
    expect(line.slice(quoted?.start, quoted?.end)).toBe('"a b"');
  });
});

describe('RUN rewrites', () => {
  it.each([
    [
      'apt-get update && apt-get install -y nginx',
      'apt-get update && apt-get install -y --no-install-recommends nginx && rm -rf /var/lib/apt/lists/*',
    ],
    [
      'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get -q install -o Dpkg::Options::=--force-confold -y a b',
      'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get -q install -o Dpkg::Options::=--force-confold -y --no-install-recommends a b && rm -rf /var/lib/apt/lists/*',
    ],
    [
      'apt-get update && apt-get install -y --no-install-recommends x && rm -rf /var/lib/apt/lists/*',
      'apt-get update && apt-get install -y --no-install-recommends x && rm -rf /var/lib/apt/lists/*',
    ],
    ['apt install -y x;', 'apt install -y --no-install-recommends x && rm -rf /var/lib/apt/lists/*'],
  ])('apt: %s', (before, after) => {
    expect(fixAptRun(before, { clean: false })).toBe(after);
  });

  it('apk and pip', () => {
    expect(fixApkRun('apk add curl')).toBe('apk add --no-cache curl');
    expect(fixPipRun('pip3 install --upgrade pip && pip3 install -r r.txt')).toBe(
      'pip3 install --no-cache-dir --upgrade pip && pip3 install --no-cache-dir -r r.txt',
    );
  });
});

describe('secret names and redaction', () => {
  it.each([
    ['DB_PASSWORD', true],
    ['API_TOKEN', true],
    ['AWS_SECRET_ACCESS_KEY', true],
    ['apiKey', true],
    ['GITHUB_TOKEN', true],
    ['MYSQL_PASSWD', true],
    ['PYTHON_GPG_KEY', false],
    ['GPG_KEY', false],
    ['NGINX_GPGKEY', false],
    ['PASSWORD_FILE', false],
    ['SSH_PUBLIC_KEY', false],
    ['KEYBOARD', false],
    ['PATH', false],
    ['PWD', false],
    ['SECRET_KEY_BASE', true],
    ['DB_PASS', true],
    // Settings about secrets, not secrets: in every Debian /etc/login.defs, OAuth and JWT setups.
    ['PASS_MAX_DAYS', false],
    ['TOKEN_URL', false],
    ['KEY_ALGORITHM', false],
    ['AWS_ACCESS_KEY_ID', false],
  ])('%s is a secret name: %s', (name, secret) => {
    expect(isSecretName(name)).toBe(secret);
  });

  it.each([
    ['s3cr3t-Value', true],
    ['"quoted value"', true],
    ['postgres://app:hunter22@db/app', true],
    ['/run/secrets/db', false],
    ['${DB_PASSWORD}', false],
    ['https://auth.example.invalid/token', false],
    ['changeme', false],
    ['<your-token>', false],
    ['true', false],
    ['abc', false],
    ['', false],
  ])('%s has the shape of a secret value: %s', (value, secret) => {
    expect(looksLikeSecretValue(value)).toBe(secret);
  });

  it.each([
    ['|2 TOKEN=abc VERSION=1.2 /bin/sh -c make', '|2 TOKEN=<redacted> VERSION=1.2 /bin/sh -c make'],
    [
      '/bin/sh -c #(nop)  ENV DB_PASSWORD="s3 cr3t" PORT=80',
      '/bin/sh -c #(nop)  ENV DB_PASSWORD=<redacted> PORT=80',
    ],
    // Redaction errs on the safe side: a secret word anywhere in the name.
    ['ENV TOKEN_URL=https://x PASS_MAX_DAYS=9', 'ENV TOKEN_URL=<redacted> PASS_MAX_DAYS=<redacted>'],
    ['echo //r.example/:_authToken=abc > .npmrc', 'echo //r.example/:_authToken=<redacted> > .npmrc'],
    // A flag or a URL credential in a text with no assignment; a text with neither as it is.
    ['mysql --password hunter2 -h db', 'mysql --password <redacted> -h db'],
    ['git clone https://bob:s3cret@git.example/r.git', 'git clone https://bob:<redacted>@git.example/r.git'],
    ['curl -u x https://bob:pw@h/ --token t0k', 'curl -u x https://bob:<redacted>@h/ --token <redacted>'],
    ['Remove the apt lists in the same RUN: 4.2 MB.', 'Remove the apt lists in the same RUN: 4.2 MB.'],
  ])('redacts the secrets of %s, nothing else', (text, redacted) => {
    expect(redactSecrets(text)).toBe(redacted);
  });
});
