/**
 * Generates an RPM-based image for bench/package-inventory.ts: one layer with rpm's SQLite
 * database of PACKAGES packages (FILES files each, a 40 kB changelog per header as real headers
 * carry) and their files. Fedora's container base has about 150 packages, a UBI 9 image with a
 * runtime 200-400. Run: node --import tsx bench/make-rpm-image.ts DIR [PACKAGES] [FILES]
 */
import { resolve } from 'node:path';
import { writeOciLayout } from '../test/helpers/image-builder.js';
import { rpmEntries, type RpmSpec } from '../test/helpers/rpm-database.js';

const dir = process.argv[2];
const count = Number(process.argv[3] ?? 400);
const filesEach = Number(process.argv[4] ?? 100);
if (dir === undefined) {
  console.error('usage: node --import tsx bench/make-rpm-image.ts DIR [PACKAGES] [FILES]');
  process.exit(2);
}
const specs: RpmSpec[] = Array.from({ length: count }, (_, index) => ({
  name: `package-${index}`,
  version: `${1 + (index % 7)}.${index % 13}.0`,
  release: `${index % 5}.fc40`,
  arch: 'x86_64',
  requires: [`package-${(index + 1) % count}`, 'libc.so.6()(64bit)'],
  changelogBytes: 40_000,
  files: Array.from({ length: filesEach }, (_, file): [string, number] => [
    `/usr/lib64/package-${index}/${file % 10}/file-${file}.so`,
    100 + ((index * 31 + file * 7) % 5000),
  ]),
}));
const layers = [
  {
    entries: [
      { type: 'file' as const, path: 'usr/lib/os-release', content: 'ID=fedora\nVERSION_ID=40\n' },
      ...(await rpmEntries(specs)),
    ],
  },
];
await writeOciLayout({ layers }, resolve(dir));
console.log(`${resolve(dir)}: ${count} rpm packages, ${count * filesEach} files`);
