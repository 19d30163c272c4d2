import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, fixturesCwd, runCli } from '../helpers/run-cli.js';
import { cleanupTempDirs } from '../helpers/temp.js';

afterAll(cleanupTempDirs);

describe('analyze table report', () => {
  it('matches the golden report for dive test-docker-image.tar', async () => {
    // Run where `fixtures` is the project's, so the report names the path as the golden file has it.
    const result = await runCli(
      ['analyze', 'fixtures/dive/test-docker-image.tar'],
      {},
      { cwd: await fixturesCwd() },
    );
    expect(result.code).toBe(0);
    const golden = readFileSync(`${PROJECT_ROOT}test/golden/analyze-test-docker-image.txt`, 'utf8');
    expect(result.stdout).toBe(golden);
  });
});
