import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs } from '../../helpers/image-builder.js';
import { findingsOf, reportFor } from '../../helpers/generated-report.js';
import { PLANTED, SECRET_IMAGE } from '../../helpers/secret-image.js';

afterAll(cleanupTempDirs);

describe('secrets-in-image', async () => {
  const report = await reportFor(SECRET_IMAGE);
  const findings = findingsOf(report, 'secrets-in-image');

  it('reports the credential files of a layer, including one a later layer deleted', () => {
    const files = findings.find((f) => f.title === 'Secret files' && f.layerIndex === 1);
    expect(files).toMatchObject({ severity: 'error', layerIndex: 1, wastedBytes: 0, pathsOmitted: 0 });
    expect(files?.paths.map((p) => p.path).sort()).toEqual([
      '/app/.env',
      '/etc/ssl/private/server.key',
      '/root/.docker/config.json',
      '/root/.npmrc',
      '/root/.ssh/id_rsa',
    ]);
    expect(files?.message).toContain(
      '/root/.ssh/id_rsa (private key; removed by layer 2 but still extractable from layer 1)',
    );
    expect(files?.message).toContain('/root/.npmrc (npm token; in the final filesystem)');
    expect(files?.message).toContain(
      '/root/.docker/config.json (registry credentials; in the final filesystem)',
    );
    expect(files?.message).toContain('/etc/ssl/private/server.key (private key; in the final filesystem)');
  });

  it('does not report certificates, public keys, example env files or an .npmrc without a token', () => {
    const listed = findings.flatMap((f) => f.paths.map((p) => p.path));
    for (const path of [
      '/etc/ssl/certs/ca.pem',
      '/root/.ssh/id_rsa.pub',
      '/app/.env.example',
      '/home/dev/.npmrc',
    ]) {
      expect(listed).not.toContain(path);
    }
  });

  it("reports a key in a dependency's test directory as a warning of its own", () => {
    const fixtures = findings.filter((f) => f.title === "Keys in third-party packages' test fixtures");
    expect(fixtures).toMatchObject([{ severity: 'warning', layerIndex: 3 }]);
    expect(fixtures[0]?.paths.map((p) => p.path)).toEqual([
      '/app/node_modules/https-proxy/test/fixtures/server.key',
    ]);
    expect(
      findings.filter((f) => f.severity === 'error').flatMap((f) => f.paths.map((p) => p.path)),
    ).not.toContain('/app/node_modules/https-proxy/test/fixtures/server.key');
  });

  it('reports secret-named ENV by name and value shape: not *_GPG_KEY, *_FILE, PASS_MAX_DAYS, TOKEN_URL, a path or ${VAR}', () => {
    const env = findings.find((f) => f.title === 'Secrets in ENV');
    expect(env?.message).toBe(
      'The image config sets ENV API_TOKEN: anyone who can pull the image can read its value (not shown here).',
    );
    expect(env?.advice.dockerfile?.before).toBe('ENV API_TOKEN=<redacted>');
  });

  it('reports a build arg named like a secret, from the history of the RUN it was passed to', () => {
    const arg = findings.find((f) => f.title === 'Secrets in build args');
    expect(arg).toMatchObject({
      layerIndex: 3,
      createdBy:
        '|1 NPM_TOKEN=<redacted> /bin/sh -c npm ci && git clone https://ci:<redacted>@git.example.invalid/x.git',
    });
  });

  it('never carries a planted value, in findings or in the redacted history', () => {
    expect(JSON.stringify(report.findings)).not.toContain(PLANTED);
    expect(JSON.stringify(report.analysis.history)).not.toContain(PLANTED);
    expect(JSON.stringify(report.analysis.layers)).not.toContain(PLANTED);
    expect(JSON.stringify(report.analysis.config)).not.toContain(PLANTED);
  });

  it('reads kubeconfig tokens, service account keys and PKCS#12 files; not a kubeconfig without credentials', async () => {
    const more = await reportFor({
      layers: [
        {
          createdBy: 'COPY . / # buildkit',
          entries: [
            {
              type: 'file',
              path: 'root/.kube/config',
              content: `users:\n- name: ci\n  user:\n    token: ${PLANTED}-kube\n`,
            },
            { type: 'file', path: 'home/x/.kube/config', content: 'clusters:\n- name: local\n' },
            {
              type: 'file',
              path: 'app/service-account.json',
              content: `{"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----\\n${PLANTED}\\n"}`,
            },
            { type: 'file', path: 'app/keys.json', content: '{"keys":[]}' },
            { type: 'file', path: 'app/tls/client.p12', size: 2000 },
          ],
        },
      ],
    });
    const [files] = findingsOf(more, 'secrets-in-image');
    expect(files?.paths.map((p) => p.path).sort()).toEqual([
      '/app/service-account.json',
      '/app/tls/client.p12',
      '/root/.kube/config',
    ]);
    expect(files?.message).toContain('/root/.kube/config (Kubernetes credentials; in the final filesystem)');
    expect(files?.message).toContain(
      '/app/service-account.json (service account key; in the final filesystem)',
    );
    expect(JSON.stringify(more.findings)).not.toContain(PLANTED);
  });

  it('finds nothing in an image without secrets', async () => {
    const clean = await reportFor({
      layers: [
        {
          createdBy: '/bin/sh -c #(nop) ADD file:01 in / ',
          entries: [{ type: 'file', path: 'bin/sh', size: 10 }],
        },
      ],
      env: ['PATH=/usr/bin', 'PYTHON_GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D', 'API_TOKEN='],
    });
    expect(findingsOf(clean, 'secrets-in-image')).toEqual([]);
  });
});
