import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from '../helpers/run-cli.js';

describe('analyze table report', () => {
  it('matches the golden report for dive test-docker-image.tar', async () => {
    const result = await runCli(['analyze', 'fixtures/dive/test-docker-image.tar']);
    expect(result.code).toBe(0);
    const golden = readFileSync(`${PROJECT_ROOT}test/golden/analyze-test-docker-image.txt`, 'utf8');
    expect(result.stdout).toBe(golden);
  });
});
