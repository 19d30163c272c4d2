import { type Analysis, type FindingPath, parseCreatedBy, plural } from '../../model/index.js';
import { buildFinding } from '../finding-builder.js';
import { selection, timelineOf, type TrackedEntry } from '../layer-timeline.js';
import type { Rule, RuleFinding, RuleOptions } from '../rule.js';
import { isSecretName, looksLikeSecretValue } from '../secret-names.js';

/**
 * Files that are credentials by their name alone (a pattern of the name, and of the whole path
 * where the name is not enough); others need the reader's content scan.
 */
const BY_NAME: { kind: string; name: RegExp; path?: (path: string) => boolean }[] = [
  { kind: 'private-key', name: /^id_(?:rsa|dsa|ecdsa|ed25519)$/ },
  // .env and .env.NAME, but not the examples (.env.example, .env.sample...).
  { kind: 'env-file', name: /^\.env(?:\.(?!(?:example|sample|template|dist|defaults)$)[^.]+)?$/ },
  { kind: 'git-credentials', name: /^\.git-credentials$/ },
  { kind: 'aws-credentials', name: /^credentials$/, path: (path) => path.endsWith('/.aws/credentials') },
  { kind: 'htpasswd', name: /^\.htpasswd$/ },
  { kind: 'keystore', name: /\.(?:p12|pfx)$/ },
];
/** Any of BY_NAME's names: one test per file (nearly every file is none of them) before the others. */
const ANY_NAME = new RegExp(BY_NAME.map((rule) => `(?:${rule.name.source})`).join('|'));

const KIND_TEXT: Record<string, string> = {
  'private-key': 'private key',
  'env-file': '.env file',
  'git-credentials': 'git credentials',
  'aws-credentials': 'AWS credentials',
  'aws-access-key': 'AWS access key',
  htpasswd: 'htpasswd file',
  'npm-token': 'npm token',
  'pypi-password': 'PyPI password',
  'netrc-password': '.netrc password',
  'docker-auth': 'registry credentials',
  keystore: 'PKCS#12 keystore',
  'kubeconfig-credentials': 'Kubernetes credentials',
  'cloud-service-account-key': 'service account key',
};

/**
 * dockle CIS-DI-0010 ("Do not store credential in environment variables/files"). Values are never
 * read into a finding: only what kind of secret, and where it can still be extracted from.
 */
export const secretsInImage: Rule = {
  id: 'secrets-in-image',
  severity: 'error',
  title: 'Secrets in the image',
  description:
    'Private keys, .env files, cloud credentials and service account keys, kubeconfig tokens, .npmrc/.pypirc tokens, .git-credentials, docker config.json auths in any layer (also when deleted later), and ENV/build ARG names that end in password/secret/token/key (not PASS_MAX_DAYS, TOKEN_URL, *_GPG_KEY, *_FILE) with a value shaped like a credential (not a path, URL without credentials, variable or placeholder). Keys inside third-party packages’ test directories (node_modules/*/test, site-packages/*/tests) are warnings. Values are never shown.',
  related: ['dockle CIS-DI-0010'],
  detect(analysis: Analysis, options: RuleOptions): RuleFinding[] {
    return [
      ...secretFiles(analysis, options),
      ...secretEnv(analysis, options),
      ...secretArgs(analysis, options),
    ];
  },
};

function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function secretKinds(tracked: TrackedEntry): string[] {
  const path = tracked.path;
  const name = nameOf(path);
  const scanned = tracked.secretKinds;
  const kinds = BY_NAME.filter(
    (rule) => rule.name.test(name) && (rule.path === undefined || rule.path(path)),
  ).map((rule) => rule.kind);
  // Most files are neither: no set to build.
  if (scanned === undefined) return kinds;
  return [...new Set([...kinds, ...scanned])];
}

/**
 * Test fixtures inside third-party packages (`node_modules/<pkg>/test/`, `site-packages/<pkg>/tests/`):
 * keys made for a library's tests, not credentials of the image's owner. Still shipped, so
 * still reported, as warnings.
 */
const PACKAGE_TEST_FIXTURE =
  /\/(?:node_modules\/(?:@[^/]+\/)?[^/]+|(?:site|dist)-packages\/[^/]+|gems\/[^/]+|vendor\/.+)\/(?:.*\/)?(?:tests?|__tests__|spec|fixtures?|testdata)\//;

/** What the path of a file BY_NAME names holds (a part of each name), for the walk's offer. */
const NAME_PART = /id_|\.env|credentials|\.htpasswd|\.p12|\.pfx/;
/** Files that may be secrets: the reader's scan found something, or the name says so. */
const CANDIDATES = selection(
  (entry) => entry.type === 'file' && (entry.secretKinds !== undefined || ANY_NAME.test(nameOf(entry.path))),
  { paths: NAME_PART, flagged: true },
);

function secretFiles(analysis: Analysis, options: RuleOptions): RuleFinding[] {
  const groups = new Map<
    string,
    { layer: number; fixtures: boolean; files: { tracked: TrackedEntry; kinds: string[] }[] }
  >();
  const candidates = timelineOf(analysis).selected(CANDIDATES);
  for (const tracked of candidates) {
    const kinds = secretKinds(tracked);
    if (kinds.length === 0) continue;
    const fixtures = PACKAGE_TEST_FIXTURE.test(tracked.path);
    const key = `${tracked.layer}${fixtures ? ' fixtures' : ''}`;
    const group = groups.get(key) ?? { layer: tracked.layer, fixtures, files: [] };
    group.files.push({ tracked, kinds });
    groups.set(key, group);
  }
  return [...groups.values()].map(({ layer, fixtures, files }) => {
    const paths: FindingPath[] = files.map(({ tracked }) => ({
      path: tracked.path,
      sizeBytes: tracked.size,
    }));
    const described = files
      .slice(0, options.maxPaths)
      .map(({ tracked, kinds }) => {
        const where =
          tracked.fate.kind === 'visible'
            ? 'in the final filesystem'
            : `removed by layer ${tracked.fate.by} but still extractable from layer ${layer}`;
        return `${tracked.path} (${kinds.map((kind) => KIND_TEXT[kind] ?? kind).join(', ')}; ${where})`;
      })
      .join('; ');
    const more = files.length - options.maxPaths;
    const message = `Layer ${layer} stores ${plural(files.length, fixtures ? 'secret-looking test fixture' : 'secret file')}: ${described}${more > 0 ? `; and ${more} more` : ''}.`;
    if (fixtures) {
      return buildFinding(
        { ...secretsInImage, severity: 'warning' },
        analysis,
        {
          layerIndex: layer,
          title: "Keys in third-party packages' test fixtures",
          message,
          paths,
          advice: {
            text: "These keys ship with a dependency's tests, not with your credentials, but they are dead weight and trip scanners: install production dependencies only (`npm ci --omit=dev`, `pip install --no-compile` of runtime requirements), or delete the test directories in the same RUN that installs the packages.",
          },
        },
        options.maxPaths,
      );
    }
    return buildFinding(
      secretsInImage,
      analysis,
      {
        layerIndex: layer,
        title: 'Secret files',
        message,
        paths,
        advice: {
          text: 'Anyone who can pull the image can extract these files from the layer, even where a later layer deletes them. Rotate the credentials, keep the files out of the build context (.dockerignore), and pass secrets to the build with `RUN --mount=type=secret,id=NAME` (BuildKit) and to the container at run time.',
        },
      },
      options.maxPaths,
    );
  });
}

function secretEnv(analysis: Analysis, options: RuleOptions): RuleFinding[] {
  const names = (analysis.config.config?.Env ?? []).flatMap((pair) => {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    return eq >= 0 && isSecretName(name) && looksLikeSecretValue(pair.slice(eq + 1)) ? [name] : [];
  });
  if (names.length === 0) return [];
  const step = analysis.history.find(
    (entry) =>
      parseCreatedBy(entry.createdBy).keyword === 'ENV' &&
      names.some((name) => entry.createdBy.includes(`${name}=`)),
  );
  return [
    buildFinding(
      secretsInImage,
      analysis,
      {
        layerIndex: null,
        title: 'Secrets in ENV',
        message: `The image config sets ${names.map((name) => `ENV ${name}`).join(', ')}: anyone who can pull the image can read ${names.length === 1 ? 'its value' : 'their values'} (not shown here).`,
        advice: {
          text: 'Do not bake secrets into ENV: pass them at run time (`docker run -e NAME`, a Kubernetes Secret), and to the build with `RUN --mount=type=secret`. Rotate the exposed values.',
          ...(step === undefined
            ? {}
            : {
                dockerfile: {
                  before: `ENV ${parseCreatedBy(step.createdBy).args}`,
                  after: `# set ${names.join(', ')} at run time instead, e.g. docker run -e ${names[0] ?? 'NAME'}`,
                },
              }),
        },
      },
      options.maxPaths,
    ),
  ];
}

function secretArgs(analysis: Analysis, options: RuleOptions): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const entry of analysis.history) {
    const names = parseCreatedBy(entry.createdBy).buildArgNames.filter(
      (name) => isSecretName(name) && looksLikeSecretValue(buildArgValue(entry.createdBy, name)),
    );
    if (names.length === 0) continue;
    findings.push(
      buildFinding(
        secretsInImage,
        analysis,
        {
          layerIndex: entry.layerIndex,
          title: 'Secrets in build args',
          message: `A RUN${entry.layerIndex === null ? '' : ` (layer ${entry.layerIndex})`} ran with build arg ${names.join(', ')}: build arg values are recorded in the image history (not shown here).`,
          advice: {
            text: 'Pass build secrets with `RUN --mount=type=secret,id=NAME` (BuildKit) instead of ARG; they are then neither in a layer nor in the history. Rotate the exposed values.',
            dockerfile: {
              before: `ARG ${names[0] ?? 'NAME'}`,
              after: `RUN --mount=type=secret,id=${(names[0] ?? 'name').toLowerCase()} …`,
            },
          },
        },
        options.maxPaths,
      ),
    );
  }
  return findings;
}

/** The value `|2 NAME=value … /bin/sh -c …` recorded for a build arg (judged, never shown). */
function buildArgValue(createdBy: string, name: string): string {
  const match = new RegExp(`(?:^|\\s)${name}=("[^"]*"|'[^']*'|\\S*)`).exec(createdBy);
  return match?.[1] ?? '';
}
