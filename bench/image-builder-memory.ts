/**
 * Benchmark: peak RSS of the test image builder writing a layer of 2 MB beside one of 50 MB
 * (half random, half text, gzip level 1). The builder streams, so the peak should barely grow
 * with the layer; a ratio near 1 is good, one near 25 means it holds the layer in memory.
 * (Moved from the unit tests: a memory figure on a loaded runner is a benchmark, not a test.)
 * Run: node --import tsx bench/image-builder-memory.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HELPERS = fileURLToPath(new URL('../test/helpers/image-builder.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'imgscope-bench-builder-'));
try {
  const script = join(dir, 'build.mts');
  writeFileSync(
    script,
    [
      `import { writeOciLayout } from ${JSON.stringify(HELPERS)};`,
      `const size = Number(process.argv[2]);`,
      `await writeOciLayout({ layers: [{ compression: 'gzip', gzipLevel: 1, entries: [`,
      `  { type: 'file', path: 'big', size }, { type: 'file', path: 'big2', size, fill: 'text' }] }] },`,
      `  process.argv[3]);`,
      `console.log(process.resourceUsage().maxRSS);`,
    ].join('\n'),
  );
  // A small young generation gets garbage collected promptly: the peak shows what is retained.
  const peakKiB = (size: number, out: string): number =>
    Number(
      execFileSync(
        process.execPath,
        ['--max-semi-space-size=1', '--import', 'tsx', script, String(size), out],
        {
          encoding: 'utf8',
        },
      ),
    );
  const small = peakKiB(1024 * 1024, join(dir, 'small'));
  const large = peakKiB(25 * 1024 * 1024, join(dir, 'large'));
  console.log(`peak RSS writing a 2 MB layer:  ${(small / 1024).toFixed(1)} MiB (anchor)`);
  console.log(`peak RSS writing a 50 MB layer: ${(large / 1024).toFixed(1)} MiB`);
  console.log(`ratio 50 MB / 2 MB: ${(large / small).toFixed(2)} (content ratio 25)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
