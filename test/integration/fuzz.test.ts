import { afterAll, describe, expect, it } from 'vitest';
import { fuzzSeedFiles, runFuzz } from '../helpers/fuzz.js';
import { cleanupTempDirs, tempDir } from '../helpers/temp.js';
import { HANG_MS } from '../helpers/watchdog.js';

/**
 * The CI fuzz step (issue 7): at least 2,000 mutated images through the analyze service, each
 * under a hang watchdog (far above any normal run: it names the input that hung, it does not
 * measure speed), and none may end in an internal error (exit 70), a hang or an unhandled
 * rejection. A fixed seed keeps CI reproducible; bench/fuzz.ts runs longer with fresh seeds.
 */
const ITERATIONS = Number(process.env['FUZZ_ITERATIONS'] ?? 2000);
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261122);

afterAll(cleanupTempDirs);

describe('mutation fuzzing of local images', () => {
  it(`survives ${ITERATIONS} mutated inputs with no internal error, hang or unhandled rejection`, async () => {
    const workDir = await tempDir('imgscope-fuzz-');
    const seedFiles = fuzzSeedFiles();
    const report = await runFuzz({
      iterations: ITERATIONS,
      seed: SEED,
      timeoutMs: HANG_MS,
      workDir,
      seedFiles,
    });
    expect(report.findings).toEqual([]);
    expect(report.iterations).toBe(ITERATIONS);
    // Both outcomes occur: the mutations neither all break the input nor all miss.
    expect(report.analyzed).toBeGreaterThan(ITERATIONS / 20);
    expect(report.refused).toBeGreaterThan(ITERATIONS / 2);
    // The run's own limit is a watchdog too: 2,000 inputs take well under a minute unloaded.
  }, 900_000);
});
