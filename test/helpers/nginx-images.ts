// nginx images built the way issue 12 describes, on a Debian-like base with a package database:
// a wasteful build (apt lists and caches left, recommends, chown -R, a download deleted a step
// later, a named USER) and its optimised rebuild (one RUN that cleans up, numeric USER, its last
// RUN replacing /var/www/html). Either can be written as the classic builder or BuildKit records
// history. Sizes are a scaled-down real image (~6 MB instead of 147 MB), in the same proportions.
import type { EntrySpec, ImageSpec, LayerSpec } from './image-builder.js';
import { withParentDirs } from './image-builder.js';

export type Builder = 'classic' | 'buildkit';

const file = (path: string, size: number, extra: Partial<Extract<EntrySpec, { type: 'file' }>> = {}) =>
  ({ type: 'file', path, size, fill: 'text', ...extra }) as const;
const text = (path: string, content: string, mode = 0o644, uid = 0, gid = 0) =>
  ({ type: 'file', path, content, mode, uid, gid }) as const;

const PASSWD = 'root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n';
const LOGIN_DEFS = 'MAIL_DIR /var/mail\nPASS_MAX_DAYS 99999\nPASS_MIN_DAYS 0\nENCRYPT_METHOD SHA512\n';

/** `debian:12-slim` in miniature: libc, a shell, coreutils, accounts, PAM, the dpkg database. */
const BASE: LayerSpec = {
  createdBy:
    '/bin/sh -c #(nop) ADD file:9b1a2d54a2b5e4c1f8d3e6a7b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1 in / ',
  entries: withParentDirs([
    file('bin/bash', 300_000, { mode: 0o755 }),
    { type: 'symlink', path: 'bin/sh', target: 'dash' },
    file('bin/dash', 120_000, { mode: 0o755 }),
    file('usr/bin/coreutils', 900_000, { mode: 0o755 }),
    file('usr/lib/x86_64-linux-gnu/libc.so.6', 1_900_000, { mode: 0o755 }),
    file('usr/lib/x86_64-linux-gnu/libpam.so.0', 60_000),
    file('usr/share/doc/base-files/copyright', 1_500),
    text('etc/passwd', PASSWD),
    text('etc/group', 'root:x:0:\nwww-data:x:33:\n'),
    text('etc/shadow', 'root:*:19000:0:99999:7:::\nwww-data:*:19000:0:99999:7:::\n', 0o640),
    text('etc/gshadow', 'root:*::\nwww-data:*::\n', 0o640),
    text('etc/login.defs', LOGIN_DEFS),
    text('etc/pam.d/common-auth', 'auth [success=1 default=ignore] pam_unix.so nullok\n'),
    text('etc/pam.d/common-session', 'session required pam_unix.so\n'),
    file('etc/ld.so.cache', 9_000),
    file('var/lib/dpkg/status', 80_000),
    file('var/lib/dpkg/info/base-files.list', 2_000),
    file('var/log/dpkg.log', 4_000),
    file('var/cache/debconf/config.dat', 6_000),
  ]),
};

/** What installing nginx writes, whatever the install line: the program and its dependencies. */
function nginxInstalled(): EntrySpec[] {
  return [
    file('usr/sbin/nginx', 1_250_000, { mode: 0o755 }),
    file('usr/lib/x86_64-linux-gnu/libpcre2-8.so.0', 600_000),
    file('bin/ip', 700_000, { mode: 0o755 }),
    // iproute2's one header: a runtime package, not a -dev one.
    file('usr/include/iproute2/bpf_elf.h', 1_300),
    file('etc/nginx/nginx.conf', 1_500),
    file('usr/share/nginx/html/index.html', 615),
    file('var/www/html/index.nginx-debian.html', 615),
    // Rewritten by every install: bookkeeping and the account and PAM databases.
    file('var/lib/dpkg/status', 95_000, { seed: 'status-after-nginx' }),
    file('var/lib/dpkg/info/nginx.list', 3_000),
    file('var/lib/dpkg/info/iproute2.list', 2_500),
    file('etc/ld.so.cache', 9_500, { seed: 'ld-after-nginx' }),
    file('var/log/dpkg.log', 9_000, { seed: 'dpkg-log-after-nginx' }),
    file('var/log/apt/history.log', 2_000),
    file('var/cache/debconf/config.dat', 6_500, { seed: 'debconf-after-nginx' }),
    text('etc/passwd', `${PASSWD}systemd-network:x:998:998::/:/usr/sbin/nologin\n`),
    text('etc/group', 'root:x:0:\nwww-data:x:33:\nsystemd-network:x:998:\n'),
    text('etc/pam.d/common-session', 'session required pam_unix.so\nsession optional pam_systemd.so\n'),
  ];
}

/** The packages `apt-get update` and a plain install leave behind. */
const APT_LEFTOVERS: EntrySpec[] = [
  file('var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4', 1_400_000, {
    fill: 'random',
  }),
  file('var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease', 150_000),
  file('var/cache/apt/archives/nginx_1.22.1-9_amd64.deb', 500_000, { fill: 'random' }),
  file('var/cache/apt/archives/iproute2_6.1.0-3_amd64.deb', 300_000, { fill: 'random' }),
  file('var/cache/apt/pkgcache.bin', 250_000),
  file('var/cache/apt/srcpkgcache.bin', 250_000),
];

const SITE = ['index.html', 'app.js', 'style.css'];
const siteFile = (name: string, uid = 0) =>
  file(`var/www/html/${name}`, name === 'app.js' ? 180_000 : 12_000, { uid, gid: uid, seed: `site-${name}` });

interface Step {
  /** The Dockerfile line. */
  line: string;
  entries?: EntrySpec[];
  /** Classic history for COPY: `COPY dir:<hash> in <dest> `. */
  classicCopy?: string;
}

/** A Dockerfile line as each builder records it in history. */
export function historyOf(step: Step, builder: Builder): string {
  const [keyword = '', ...rest] = step.line.split(' ');
  const args = rest.join(' ');
  if (builder === 'buildkit') {
    if (keyword === 'RUN') return `RUN /bin/sh -c ${args} # buildkit`;
    if (keyword === 'COPY') return `${step.line} # buildkit`;
    if (keyword === 'EXPOSE') return `EXPOSE map[${args}/tcp:{}]`;
    return step.line;
  }
  if (keyword === 'RUN') return `/bin/sh -c ${args}`;
  if (keyword === 'COPY') return `/bin/sh -c #(nop) ${step.classicCopy ?? step.line} `;
  return `/bin/sh -c #(nop)  ${step.line}`;
}

function image(steps: Step[], builder: Builder, user: string): ImageSpec {
  const layers: LayerSpec[] = [BASE];
  const emptyHistory: NonNullable<ImageSpec['emptyHistory']> = [
    { after: 0, createdBy: '/bin/sh -c #(nop)  CMD ["bash"]' },
  ];
  for (const step of steps) {
    if (step.entries === undefined) {
      emptyHistory.push({ after: layers.length - 1, createdBy: historyOf(step, builder) });
    } else {
      layers.push({ createdBy: historyOf(step, builder), entries: withParentDirs(step.entries) });
    }
  }
  return { layers, emptyHistory, user, exposedPorts: ['80/tcp'], cmd: ['nginx', '-g', 'daemon off;'] };
}

const COPY_HASH = '5f1d0c9e8b7a6f5e4d3c2b1a09f8e7d6c5b4a3928170f6e5d4c3b2a190817263';

/**
 * The wasteful build:
 *
 *   FROM debian:12-slim
 *   RUN apt-get update && apt-get install -y nginx
 *   RUN useradd -r -u 10001 app
 *   COPY site/ /var/www/html/
 *   RUN chown -R www-data:www-data /var/www/html
 *   RUN curl -fsSL -o /opt/assets.bin https://assets.example.invalid/assets.bin
 *   RUN cp /opt/assets.bin /var/www/html/ && rm /opt/assets.bin /var/www/html/index.nginx-debian.html
 *   USER www-data
 *   EXPOSE 80
 *   CMD ["nginx", "-g", "daemon off;"]
 */
export function wastefulNginx(builder: Builder): ImageSpec {
  return image(
    [
      {
        line: 'RUN apt-get update && apt-get install -y nginx',
        entries: [...nginxInstalled(), ...APT_LEFTOVERS],
      },
      {
        line: 'RUN useradd -r -u 10001 app',
        entries: [
          text('etc/passwd', `${PASSWD}app:x:10001:10001::/home/app:/bin/sh\n`),
          text('etc/group', 'root:x:0:\nwww-data:x:33:\napp:x:10001:\n'),
          text('etc/shadow', 'root:*:19000:0:99999:7:::\napp:!:19000::::::\n', 0o640),
          text('etc/gshadow', 'root:*::\napp:!::\n', 0o640),
          file('var/log/faillog', 32_000),
        ],
      },
      {
        line: 'COPY site/ /var/www/html/',
        classicCopy: `COPY dir:${COPY_HASH} in /var/www/html/`,
        entries: SITE.map((name) => siteFile(name)),
      },
      {
        line: 'RUN chown -R www-data:www-data /var/www/html',
        entries: SITE.map((name) => siteFile(name, 33)),
      },
      {
        line: 'RUN curl -fsSL -o /opt/assets.bin https://assets.example.invalid/assets.bin',
        entries: [file('opt/assets.bin', 400_000, { fill: 'random' })],
      },
      {
        line: 'RUN cp /opt/assets.bin /var/www/html/ && rm /opt/assets.bin /var/www/html/index.nginx-debian.html',
        entries: [
          file('var/www/html/assets.bin', 400_000, { fill: 'random', seed: 'opt/assets.bin' }),
          { type: 'whiteout', path: 'opt/assets.bin' },
          { type: 'whiteout', path: 'var/www/html/index.nginx-debian.html' },
        ],
      },
      { line: 'USER www-data' },
      { line: 'EXPOSE 80' },
      { line: 'CMD ["nginx", "-g", "daemon off;"]' },
    ],
    builder,
    'www-data',
  );
}

/**
 * The optimised rebuild:
 *
 *   FROM debian:12-slim
 *   RUN apt-get update && apt-get install -y --no-install-recommends nginx \
 *       && rm -rf /var/lib/apt/lists/* && apt-get clean
 *   RUN rm -rf /var/www/html && mkdir -p /var/www/html && echo '<h1>hi</h1>' > /var/www/html/index.html \
 *       && chown -R 33:33 /var/www/html
 *   USER 33:33
 *   EXPOSE 80
 *   CMD ["nginx", "-g", "daemon off;"]
 */
export function optimisedNginx(builder: Builder): ImageSpec {
  return image(
    [
      {
        line: 'RUN apt-get update && apt-get install -y --no-install-recommends nginx && rm -rf /var/lib/apt/lists/* && apt-get clean',
        entries: nginxInstalled(),
      },
      {
        line: "RUN rm -rf /var/www/html && mkdir -p /var/www/html && echo '<h1>hi</h1>' > /var/www/html/index.html && chown -R 33:33 /var/www/html",
        entries: [
          { type: 'dir', path: 'var/www/html', uid: 33, gid: 33 },
          { type: 'opaque', dir: 'var/www/html' },
          text('var/www/html/index.html', '<h1>hi</h1>\n', 0o644, 33, 33),
        ],
      },
      { line: 'USER 33:33' },
      { line: 'EXPOSE 80' },
      { line: 'CMD ["nginx", "-g", "daemon off;"]' },
    ],
    builder,
    '33:33',
  );
}
