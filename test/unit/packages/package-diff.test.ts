import { afterAll, describe, expect, it } from 'vitest';
import { renderDiffMarkdown, renderDiffTable } from '../../../src/render/index.js';
import { diffImages } from '../../../src/services/index.js';
import { cleanupTempDirs, tempDir, writeOciLayout, type EntrySpec } from '../../helpers/image-builder.js';
import { dpkgEntries } from '../../helpers/package-metadata.js';

afterAll(cleanupTempDirs);

const npm = (name: string, version: string, size: number): EntrySpec[] => [
  {
    type: 'file',
    path: `app/node_modules/${name}/package.json`,
    content: `{"name":"${name}","version":"${version}"}`,
  },
  { type: 'file', path: `app/node_modules/${name}/index.js`, size },
];

async function image(entries: EntrySpec[]): Promise<string> {
  const dir = await tempDir('imgscope-package-diff-');
  await writeOciLayout({ layers: [{ entries }] }, dir);
  return dir;
}

describe('package diff', () => {
  it('lists added, removed, upgraded and downgraded packages with their byte changes, by each ecosystem’s order', async () => {
    const before = await image([
      ...dpkgEntries([
        { name: 'curl', version: '7.88.1-10', files: [['/usr/bin/curl', 300]] },
        { name: 'libssl3', version: '3.0.11-1~deb12u2', files: [['/usr/lib/libssl.so.3', 5000]] },
        { name: 'vim', version: '2:9.0.1378-2', files: [['/usr/bin/vim', 4000]] },
        { name: 'tzdata', version: '2024a-0+deb12u1', files: [['/usr/share/zoneinfo/UTC', 100]] },
      ]),
      ...npm('express', '4.18.2', 1000),
      ...npm('lodash', '4.17.21', 2000),
    ]);
    const after = await image([
      ...dpkgEntries([
        // 7.88.1-10+deb12u5 sorts after 7.88.1-10 (dpkg), 3.0.11-1 after 3.0.11-1~deb12u2 (~).
        { name: 'curl', version: '7.88.1-10+deb12u5', files: [['/usr/bin/curl', 310]] },
        { name: 'libssl3', version: '3.0.11-1', files: [['/usr/lib/libssl.so.3', 5100]] },
        { name: 'tzdata', version: '2023c-5', files: [['/usr/share/zoneinfo/UTC', 100]] },
        { name: 'git', version: '1:2.39.2-1.1', files: [['/usr/bin/git', 9000]] },
      ]),
      ...npm('express', '5.0.0', 1200),
      ...npm('lodash', '4.17.21', 2000),
    ]);
    const { before: a, after: b, diff } = await diffImages(before, after, { concurrency: 2, depth: 2 });
    const rows = diff.packages.changes.map((c) => [
      c.kind,
      c.ecosystem,
      c.name,
      c.beforeVersion,
      c.afterVersion,
      c.deltaBytes,
      c.semverChange,
    ]);
    expect(rows).toEqual([
      ['added', 'deb', 'git', null, '1:2.39.2-1.1', 9000, null],
      ['removed', 'deb', 'vim', '2:9.0.1378-2', null, -4000, null],
      ['upgraded', 'npm', 'express', '4.18.2', '5.0.0', 199, 'major'],
      ['upgraded', 'deb', 'libssl3', '3.0.11-1~deb12u2', '3.0.11-1', 100, null],
      ['upgraded', 'deb', 'curl', '7.88.1-10', '7.88.1-10+deb12u5', 10, null],
      ['downgraded', 'deb', 'tzdata', '2024a-0+deb12u1', '2023c-5', 0, null],
    ]);
    expect(diff.packages).toMatchObject({
      added: 1,
      removed: 1,
      upgraded: 3,
      downgraded: 1,
      deltaBytes: 5309,
    });
    const table = renderDiffTable(a, b, diff, { files: 'none', width: 120 });
    expect(table).toContain('Packages: 1 added, 1 removed, 3 upgraded, 1 downgraded (+5.3 kB)');
    expect(table).toContain('upgraded (major)');
    const markdown = renderDiffMarkdown(a, b, diff, 'none');
    expect(markdown).toContain('- Packages: 1 added, 1 removed, 3 upgraded, 1 downgraded (+5.3 kB)');
    expect(markdown).toContain('| upgraded (major) | express | npm | 4.18.2 | 5.0.0 | +199 B |');
  });
});
