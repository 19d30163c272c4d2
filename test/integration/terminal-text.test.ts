import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir, writeDockerArchive } from '../helpers/image-builder.js';
import { runCli } from '../helpers/run-cli.js';

afterAll(cleanupTempDirs);

const ESC = '\u001b';
/** A file name and history commands that would clear the screen, set the title and colour text. */
const evilPath = `etc/evil${ESC}[31mRED${ESC}]0;title\u0007.txt`;

/** Such an image; `changed`: its second layer adds another such file instead (for a diff). */
async function hostileImage(changed = false): Promise<string> {
  const file = join(await tempDir(), 'hostile.tar');
  await writeDockerArchive(
    {
      layers: [
        {
          entries: [{ type: 'file', path: evilPath, content: Buffer.alloc(5000, 1) }],
          createdBy: `/bin/sh -c echo ${ESC}[2J${ESC}[31mowned`,
        },
        changed
          ? {
              entries: [{ type: 'file', path: `opt/new${ESC}[2Jfile`, content: Buffer.alloc(9000, 3) }],
              createdBy: `/bin/sh -c add ${ESC}[31m`,
            }
          : {
              entries: [{ type: 'file', path: evilPath, content: Buffer.alloc(5000, 2) }],
              createdBy: `/bin/sh -c cp \u009b31m x`,
            },
      ],
      user: `app${ESC}[8m`,
    },
    file,
  );
  return file;
}

/** No control character but the newline. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

/** Each table's lines are as wide as its top border: escaping came before the layout. */
function expectAlignedTables(text: string): void {
  let width: number | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('┌')) width = line.length;
    else if (width !== null && (line.startsWith('│') || line.startsWith('└')))
      expect(line).toHaveLength(width);
    if (line.startsWith('└')) width = null;
  }
}

describe('text read from an image, on a terminal', () => {
  it('is shown escaped in the analyze and diff tables, never sent as control sequences', async () => {
    const image = await hostileImage();
    const analyzed = await runCli(['analyze', image, '--no-cache']);
    expect(analyzed.code).toBe(0);
    expect(analyzed.stdout).not.toMatch(CONTROL);
    expect(analyzed.stdout).toContain('echo \\u001b[2J\\u001b[31mowned');
    expect(analyzed.stdout).toContain('cp \\u009b31m x');
    expect(analyzed.stdout).toContain('/etc/evil\\u001b[31mRED\\u001b]0;title\\u0007.txt');
    expect(analyzed.stdout).toContain('app\\u001b[8m');
    expectAlignedTables(analyzed.stdout);
    const other = await hostileImage(true);
    const diffed = await runCli(['diff', image, other, '--no-cache']);
    expect(diffed.code).toBe(0);
    expect(diffed.stdout).not.toMatch(CONTROL);
    expect(diffed.stdout).toContain('/opt/new\\u001b[2Jfile');
    expectAlignedTables(diffed.stdout);
  });

  it('is shown escaped in the Markdown that diff prints', async () => {
    const diffed = await runCli([
      'diff',
      await hostileImage(),
      await hostileImage(true),
      '--no-cache',
      '--format',
      'markdown',
    ]);
    expect(diffed.code).toBe(0);
    expect(diffed.stdout).not.toMatch(CONTROL);
    // Markdown's own escape of the backslash and bracket: it reads \u001b[2J on GitHub.
    expect(diffed.stdout).toContain('/opt/new\\\\u001b\\[2Jfile');
  });
});
