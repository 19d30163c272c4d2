// README's JSON example is a real report: every field a report of fixtures/example.tar has, with
// its value; lists may be cut short, never changed.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturesCwd, PROJECT_ROOT, runCli } from '../helpers/run-cli.js';
import { cleanupTempDirs } from '../helpers/temp.js';

/** Checks `shown` against `actual` at `where`: same keys, same values, lists a prefix. */
function expectShownIn(shown: unknown, actual: unknown, where: string): void {
  if (Array.isArray(shown)) {
    expect(Array.isArray(actual), where).toBe(true);
    const list = actual as unknown[];
    expect(shown.length, `${where}: the example lists more than the report`).toBeLessThanOrEqual(list.length);
    if (list.length > 0) expect(shown.length, `${where}: keep at least one item`).toBeGreaterThan(0);
    shown.forEach((item, index) => expectShownIn(item, list[index], `${where}[${index}]`));
  } else if (shown !== null && typeof shown === 'object') {
    expect(actual !== null && typeof actual === 'object' && !Array.isArray(actual), where).toBe(true);
    const record = actual as Record<string, unknown>;
    expect(Object.keys(shown), where).toEqual(Object.keys(record));
    for (const [key, value] of Object.entries(shown)) expectShownIn(value, record[key], `${where}.${key}`);
  } else {
    expect(shown, where).toEqual(actual);
  }
}

afterAll(cleanupTempDirs);

describe("README's JSON example", () => {
  it('is `imgscope analyze fixtures/example.tar --json` with its lists shortened', async () => {
    const readme = readFileSync(`${PROJECT_ROOT}README.md`, 'utf8');
    const section = readme.slice(readme.indexOf('### JSON output'));
    const block = /```json\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBeDefined();
    const result = await runCli(
      ['analyze', 'fixtures/example.tar', '--json'],
      {},
      { cwd: await fixturesCwd() },
    );
    expect(result.code).toBe(0);
    expectShownIn(JSON.parse(block ?? ''), JSON.parse(result.stdout), 'report');
  });
});
