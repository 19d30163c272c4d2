import type { ImageSpec } from './image-builder.js';

/** Every planted secret value contains this, so a test can search any output for it. */
export const PLANTED = 'planted';

const text = (path: string, content: string, mode = 0o600) => ({
  type: 'file' as const,
  path,
  content,
  mode,
});

/** An image with credentials in files (one deleted later), in ENV and in a build arg. */
export const SECRET_IMAGE: ImageSpec = {
  layers: [
    {
      createdBy: '/bin/sh -c #(nop) ADD file:0123456789abcdef0123456789abcdef in / ',
      entries: [
        text('bin/sh', 'shell', 0o755),
        text(
          'etc/ssl/certs/ca.pem',
          '-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n',
          0o644,
        ),
      ],
    },
    {
      createdBy: '/bin/sh -c #(nop) COPY dir:5e4d3c2b1a09f8e7d6c5 in / ',
      entries: [
        text('app/.env', `DB_PASSWORD=${PLANTED}-dotenv-value\n`),
        text('app/.env.example', 'DB_PASSWORD=\n'),
        text('root/.npmrc', `//registry.example.invalid/:_authToken=${PLANTED}-npm-token\n`),
        text('home/dev/.npmrc', 'registry=https://registry.example.invalid/\n'),
        text(
          'root/.ssh/id_rsa',
          `-----BEGIN OPENSSH PRIVATE KEY-----\n${PLANTED}-key-body\n-----END OPENSSH PRIVATE KEY-----\n`,
        ),
        text('root/.ssh/id_rsa.pub', 'ssh-ed25519 AAAA dev@host\n', 0o644),
        text(
          'root/.docker/config.json',
          `{"auths":{"r.example.invalid":{"auth":"${Buffer.from(`u:${PLANTED}`).toString('base64')}"}}}`,
        ),
        text(
          'etc/ssl/private/server.key',
          `-----BEGIN PRIVATE KEY-----\n${PLANTED}-tls-key\n-----END PRIVATE KEY-----\n`,
        ),
      ],
    },
    {
      createdBy: '/bin/sh -c rm -f /root/.ssh/id_rsa',
      entries: [{ type: 'whiteout', path: 'root/.ssh/id_rsa' }],
    },
    {
      createdBy: `|1 NPM_TOKEN=${PLANTED}-arg-token /bin/sh -c npm ci && git clone https://ci:${PLANTED}-url@git.example.invalid/x.git`,
      entries: [
        text('app/node_modules/x/index.js', 'module.exports = 1;\n', 0o644),
        // A dependency's test fixture: a key, but not the image owner's credential.
        text(
          'app/node_modules/https-proxy/test/fixtures/server.key',
          '-----BEGIN RSA PRIVATE KEY-----\nMIIfixture\n-----END RSA PRIVATE KEY-----\n',
          0o644,
        ),
      ],
    },
  ],
  env: [
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    `API_TOKEN=${PLANTED}-env-token`,
    'PYTHON_GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D',
    'GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305',
    'PASSWORD_FILE=/run/secrets/db',
    // Named like secrets, shaped like settings: none is reported.
    'PASS_MAX_DAYS=99999',
    'TOKEN_URL=https://auth.example.invalid/oauth/token',
    'KEY_ALGORITHM=RS256',
    'DB_PASSWORD=${DB_PASSWORD}',
    'ADMIN_TOKEN=/run/secrets/admin-token',
  ],
  emptyHistory: [
    { after: 0, createdBy: '/bin/sh -c #(nop)  CMD ["sh"]' },
    { after: 0, createdBy: `/bin/sh -c #(nop)  ENV API_TOKEN=${PLANTED}-env-token` },
    { after: 0, createdBy: '/bin/sh -c #(nop)  ENV PYTHON_GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D' },
  ],
  user: '10001:10001',
};
