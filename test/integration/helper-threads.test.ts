import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LAYER_DEBUG } from '../helpers/layer-log.js';
import { DIVE_FIXTURES, PROJECT_ROOT, runCli } from '../helpers/run-cli.js';

/**
 * A process that records its helper threads, then starts a worker thread, then lowers the
 * recorded ones, and prints every thread's nice value (field 19 of /proc/self/task/TID/stat)
 * with the worker's and the main thread's ids.
 */
const CHILD = `
import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { lowerHelperThreads, recordHelperThreads } from ${JSON.stringify(`${PROJECT_ROOT}dist/layers/helper-threads.js`)};
recordHelperThreads();
const worker = new Worker(
  "import { parentPort } from 'node:worker_threads'; import { readlinkSync } from 'node:fs'; parentPort.postMessage(readlinkSync('/proc/thread-self')); setInterval(() => {}, 1000);",
  { eval: true },
);
const workerTid = Number(String(await new Promise((resolve) => worker.once('message', resolve))).split('/').pop());
lowerHelperThreads();
const nice = Object.fromEntries(
  readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync('/proc/self/task/' + tid + '/stat', 'utf8');
    return [tid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
  }),
);
console.log(JSON.stringify({ main: process.pid, worker: workerTid, nice }));
process.exit(0);
`;

describe.skipIf(process.platform !== 'linux')('helper threads (Linux)', () => {
  it("lowers Node's and V8's threads to the lowest priority, never the main thread or a later worker", () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', CHILD], { encoding: 'utf8' });
    const { main, worker, nice } = JSON.parse(out) as {
      main: number;
      worker: number;
      nice: Record<string, number>;
    };
    const own = nice[String(main)];
    expect(own).toBeDefined();
    expect(own).toBeLessThan(19);
    expect(nice[String(worker)]).toBe(own);
    const helpers = Object.entries(nice).filter(([tid]) => Number(tid) !== main && Number(tid) !== worker);
    // V8's four background workers at least, started before any script runs.
    expect(helpers.length).toBeGreaterThanOrEqual(4);
    for (const [tid, value] of helpers) expect(value, `thread ${tid}`).toBe(19);
  });

  it('gives way as analyze reads layers from local files, but not for zstd layers', async () => {
    const lowered = / imgscope:layers \d+ of \d+ helper threads lowered to priority 19$/m;
    const plain = await runCli(['analyze', `${DIVE_FIXTURES}test-docker-image.tar`, '--json'], LAYER_DEBUG);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toMatch(lowered);
    const zstd = await runCli(
      ['analyze', `oci-archive:${DIVE_FIXTURES}test-oci-zstd-image.tar`, '--json'],
      LAYER_DEBUG,
    );
    expect(zstd.code).toBe(0);
    expect(zstd.stderr).not.toMatch(lowered);
  });
});
