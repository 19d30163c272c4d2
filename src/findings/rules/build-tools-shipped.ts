import { type Analysis, dockerfileLine, type PackageRecord } from '../../model/index.js';
import { baseLayerCount } from '../base-layers.js';
import { buildFinding, bytesText, sumClaims } from '../finding-builder.js';
import { layerInstruction } from '../layer-instruction.js';
import { timelineOf } from '../layer-timeline.js';
import { packagesText } from '../package-claims.js';
import {
  WORTH_TEXT,
  worthBytes,
  type Claim,
  type Rule,
  type RuleFinding,
  type RuleOptions,
} from '../rule.js';

/**
 * Toolchains by where they live. Binaries match by name in bin directories. Headers are a
 * toolchain only in bulk (`-dev` packages): a runtime package may ship one (iproute2's
 * bpf_elf.h), so they count only when they weigh the rule's threshold together.
 */
const TOOLCHAINS: { name: string; pattern: RegExp; inBulkOnly?: boolean }[] = [
  {
    name: 'C/C++ compiler',
    pattern:
      /^\/usr\/(?:local\/)?bin\/(?:[a-z0-9_]+-linux-gnu-)?(?:gcc|g\+\+|c\+\+|cc|cpp|clang|clang\+\+)(?:-[0-9.]+)?$|^\/usr\/(?:lib|libexec)\/gcc\/|^\/usr\/lib\/llvm-[0-9.]+\//,
  },
  {
    name: 'build tools (make, cmake, binutils)',
    pattern:
      /^\/usr\/(?:local\/)?bin\/(?:[a-z0-9_]+-linux-gnu-)?(?:make|gmake|cmake|ninja|ld|ld\.bfd|ld\.gold|as|ar|autoconf|automake|libtool)$/,
  },
  { name: 'C headers (*-dev packages)', pattern: /^\/usr\/(?:local\/)?include\/./, inBulkOnly: true },
  { name: 'Go toolchain', pattern: /^\/usr\/(?:local\/go|lib\/go-[0-9.]+)\// },
  { name: 'Rust toolchain', pattern: /^\/(?:usr\/local|root|home\/[^/]+)\/(?:\.?cargo|\.?rustup)\// },
  { name: 'Java compiler', pattern: /\/bin\/javac$/ },
  { name: 'node_modules/.cache', pattern: /\/node_modules\/\.cache\// },
];

/**
 * Any toolchain's pattern, as one: the walk over the layers' files tests each path once (a test
 * per toolchain, through a callback, took 5-14 ms of the Debian bench image's findings, run
 * cold); which toolchain is asked only of the paths that match.
 */
const ANY_TOOLCHAIN = new RegExp(TOOLCHAINS.map((toolchain) => `(?:${toolchain.pattern.source})`).join('|'));

/** Packages named in the message; the advice lists them all. */
const MESSAGE_PACKAGES = 5;

/**
 * The packages whose files include claimed toolchain files, with their whole bytes (the package
 * goes, not just the matched files), largest first.
 */
function packagesOwning(analysis: Analysis, claims: readonly Claim[]): { name: string; bytes: number }[] {
  const paths = new Set(claims.map((claim) => claim.path));
  const owners: PackageRecord[] = [];
  for (const record of analysis.packages.packages) {
    if ((analysis.packages.storedPaths.get(record) ?? []).some((path) => paths.has(path)))
      owners.push(record);
  }
  return owners
    .map((record) => ({ name: record.name, bytes: record.sizeBytes }))
    .sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Compilers and build toolchains in the final filesystem, with what they weigh. dockle and
 * hadolint have no such check; it is the multi-stage advice of the Docker docs.
 */
export const buildToolsShipped: Rule = {
  id: 'build-tools-shipped',
  severity: 'warning',
  title: 'Compilers and build tools shipped in the final image',
  description: `gcc/g++/clang, make/cmake/binutils, javac, Go and Rust toolchains, C headers (*-dev packages; headers only when together they reach the threshold, never a runtime package's lone header), node_modules/.cache in the final filesystem (outside the base image layers), with their size and, where package metadata says, the packages that ship them with theirs. ${WORTH_TEXT}`,
  bySize: true,
  related: [],
  detect(analysis: Analysis, options: RuleOptions): RuleFinding[] {
    const base = baseLayerCount(analysis);
    const byToolchain = new Map<(typeof TOOLCHAINS)[number], Claim[]>();
    const tools = timelineOf(analysis).where(
      (entry) => entry.visible && entry.type === 'file' && ANY_TOOLCHAIN.test(entry.path),
      base,
      { paths: ANY_TOOLCHAIN },
    );
    for (const tracked of tools) {
      const toolchain = TOOLCHAINS.find((t) => t.pattern.test(tracked.path));
      if (toolchain === undefined) continue;
      const list = byToolchain.get(toolchain) ?? [];
      list.push(tracked.claim());
      byToolchain.set(toolchain, list);
    }
    const worth = worthBytes(analysis, options);
    const claims: Claim[] = [];
    const found = new Map<string, number>();
    const bytesByLayer = new Map<number, number>();
    for (const [toolchain, list] of byToolchain) {
      const bytes = sumClaims(list);
      if (toolchain.inBulkOnly === true && bytes < worth) continue;
      claims.push(...list);
      found.set(toolchain.name, bytes);
      for (const c of list) bytesByLayer.set(c.layer, (bytesByLayer.get(c.layer) ?? 0) + c.bytes);
    }
    if (claims.length === 0) return [];
    const layer = [...bytesByLayer].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? null;
    const total = sumClaims(claims);
    const install = layer === null ? null : layerInstruction(analysis, layer);
    const owners = packagesOwning(analysis, claims);
    const shown = owners.slice(0, MESSAGE_PACKAGES);
    const fromPackages =
      owners.length === 0
        ? ''
        : `; from the package(s) ${packagesText(shown)}${owners.length > shown.length ? ` and ${owners.length - shown.length} more` : ''}`;
    const installLine =
      install === null || install.keyword !== 'RUN'
        ? 'RUN <install the build dependencies>'
        : dockerfileLine(install);
    return [
      buildFinding(
        this,
        analysis,
        {
          layerIndex: layer,
          message: `The final image ships ${[...found].map(([name, bytes]) => `${name} (${bytesText(bytes)})`).join(', ')}: ${bytesText(total)} that only building needs${fromPackages}.`,
          claims,
          ...(layer === null || install?.keyword !== 'RUN'
            ? {}
            : { edit: { kind: 'text', layers: [layer] } }),
          advice: {
            text: `Use a multi-stage build: install the toolchain and build in a first stage, then start the final stage from a small base and COPY --from only the build output.${owners.length === 0 ? '' : ` The packages to leave in the build stage: ${packagesText(owners)}.`}`,
            dockerfile: {
              before: installLine,
              after: [
                'FROM <base> AS build',
                installLine,
                'RUN <build the application>',
                '',
                'FROM <base>',
                'COPY --from=build /app /app',
              ].join('\n'),
            },
          },
        },
        options.maxPaths,
      ),
    ];
  },
};
