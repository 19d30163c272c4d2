// One fix per step (issue 12 item 3): findings that rewrite the same RUN become one rewritten RUN,
// applied in one pass; a merge of two RUNs carries the first one's rewrite too.
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs } from '../../helpers/image-builder.js';
import { BASE, file, reportFor, run, whiteout } from '../../helpers/generated-report.js';

afterAll(cleanupTempDirs);

const INSTALL = 'apt-get update && apt-get install -y python3-pip && pip install flask';

describe('fixes', () => {
  it('combines every rewrite of one RUN into one fix: apt, pip and /tmp in one line', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        {
          createdBy: run(INSTALL),
          entries: [
            file('usr/bin/pip', 9000),
            file('var/lib/apt/lists/deb_Packages', 30_000),
            file('var/cache/apt/archives/pip.deb', 20_000),
            file('root/.cache/pip/http/a.body', 8000),
            file('tmp/build.log', 6000),
          ],
        },
      ],
      emptyHistory: [BASE.history],
    });
    const { findings, fixes } = report.findings;
    const onLayer1 = findings.flatMap((f, index) => (f.layerIndex === 1 ? [{ id: f.id, index }] : []));
    expect(onLayer1.map((f) => f.id).sort()).toEqual([
      'apt-archives-left',
      'apt-install-recommends',
      'apt-lists-left',
      'pip-cache-left',
      'temp-files-left',
    ]);
    const after =
      'RUN apt-get update && apt-get install -y --no-install-recommends python3-pip && pip install --no-cache-dir flask && apt-get clean && rm -rf /var/lib/apt/lists/* && rm -rf /tmp/*';
    // The other fix is the image's missing USER (runs-as-root).
    expect(fixes.map((fix) => fix.step)).toEqual([1, null]);
    expect(fixes[0]).toEqual({
      step: 1,
      layers: [1],
      before: `RUN ${INSTALL}`,
      after,
      findings: onLayer1,
      savingsBytes: 30_000 + 20_000 + 8000 + 6000,
    });
    // Each finding's advice is its step's one fix.
    for (const { index } of onLayer1)
      expect(findings[index]?.advice.dockerfile).toEqual({ before: `RUN ${INSTALL}`, after });
  });

  it('merges two RUNs with the first one already rewritten; findings that merge the same RUNs share the fix', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        {
          createdBy: run(
            'apt-get update && apt-get install -y --no-install-recommends curl && curl -o /opt/big.bin https://example.invalid/big.bin',
          ),
          entries: [file('var/lib/apt/lists/deb_Packages', 30_000), file('opt/big.bin', 50_000)],
        },
        { createdBy: run('rm /opt/big.bin'), entries: [whiteout('opt/big.bin')] },
      ],
      emptyHistory: [BASE.history],
    });
    const rewritten =
      'apt-get update && apt-get install -y --no-install-recommends curl && curl -o /opt/big.bin https://example.invalid/big.bin && rm -rf /var/lib/apt/lists/*';
    expect(
      report.findings.fixes
        .filter((fix) => fix.step !== null)
        .map((fix) => [fix.layers, fix.after, fix.findings.map((f) => f.id), fix.savingsBytes]),
    ).toEqual([
      [
        [1, 2],
        `RUN ${rewritten} \\\n    && rm /opt/big.bin`,
        ['deleted-in-later-layer', 'many-small-layers'],
        50_000,
      ],
      [[1], `RUN ${rewritten}`, ['apt-lists-left'], 30_000],
    ]);
  });
});
