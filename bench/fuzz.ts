/**
 * The long fuzz run (issue 7): mutated local images against the analyze service, in-process,
 * until an iteration count or a time limit. Prints outcomes, the refusal messages seen, and any
 * finding (internal error = exit 70, hang, unhandled rejection) with its kept input.
 * Run: node --import tsx bench/fuzz.ts [ITERATIONS|0=unlimited] [SECONDS] [SEED] [WORKDIR]
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fuzzSeedFiles, runFuzz } from '../test/helpers/fuzz.js';

const iterations = Number(process.argv[2] ?? 0);
const seconds = Number(process.argv[3] ?? 600);
const seed = Number(process.argv[4] ?? Date.now() % 1_000_000);
const workDir = process.argv[5] ? resolve(process.argv[5]) : await mkdtemp(join(tmpdir(), 'imgscope-fuzz-'));

const seedFiles = [...fuzzSeedFiles(), resolve('fixtures/example-optimized.tar')];

console.log(
  `fuzzing with seed ${seed} for ${iterations || 'unlimited'} iterations / ${seconds} s in ${workDir}`,
);
const report = await runFuzz({
  ...(iterations > 0 ? { iterations } : {}),
  seconds,
  seed,
  timeoutMs: 10_000,
  workDir,
  seedFiles,
});
console.log(
  `${report.iterations} inputs in ${report.seconds.toFixed(0)} s (${(report.iterations / report.seconds).toFixed(0)}/s): ` +
    `${report.analyzed} analyzed, ${report.refused} refused, ${report.findings.length} findings`,
);
console.log('refusals by message:');
for (const [message, count] of [...report.refusals].sort((a, b) => b[1] - a[1])) {
  console.log(`${String(count).padStart(7)}  ${message}`);
}
for (const finding of report.findings) {
  console.log(
    `FINDING ${finding.kind} #${finding.iteration} [${finding.mutation}] ${finding.message} -> ${finding.input}`,
  );
}
process.exitCode = report.findings.length === 0 ? 0 : 1;
