import { describe, expect, it } from 'vitest';
import { renderSarif } from '../../../src/render/index.js';
import { diveDefaultGate, fullGate, SAMPLE_FINDINGS } from '../../helpers/gate-results.js';
import { validateSarif as validate } from '../../helpers/sarif-schema.js';

interface Log {
  version: string;
  runs: {
    tool: {
      driver: {
        name: string;
        rules: { id: string; help: { text: string }; defaultConfiguration: { level: string } }[];
      };
    };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: unknown[];
    }[];
  }[];
}

function render(...args: Parameters<typeof renderSarif>): Log {
  const text = renderSarif(...args);
  const log = JSON.parse(text) as Log;
  const valid = validate(log);
  expect(validate.errors ?? [], text).toEqual([]);
  expect(valid).toBe(true);
  return log;
}

describe('renderSarif', () => {
  it('is valid SARIF 2.1.0 with findings as results and rules with help text', () => {
    const log = render(SAMPLE_FINDINGS, fullGate(), { reference: 'app:1.0', toolVersion: '0.1.0' });
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe('imgscope');
    const ids = run.tool.driver.rules.map((r) => r.id);
    expect(ids).toEqual([
      'apt-lists-left-behind',
      'runs-as-root',
      'gate/lowestEfficiency',
      'gate/highestUserWastedPercent',
      'gate/maxImageSize',
      'gate/failOn',
    ]);
    expect(run.tool.driver.rules[0]?.help.text).toBe(SAMPLE_FINDINGS[0]?.advice);
    expect(run.tool.driver.rules[0]?.defaultConfiguration.level).toBe('warning');
    expect(run.results.map((r) => [r.ruleId, r.level])).toEqual([
      ['apt-lists-left-behind', 'warning'],
      ['runs-as-root', 'error'],
      ['gate/lowestEfficiency', 'error'],
      ['gate/highestUserWastedPercent', 'error'],
      ['gate/maxImageSize', 'error'],
      ['gate/failOn', 'error'],
    ]);
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
    expect(run.results[0]?.message.text).toBe(
      'apt package lists left in the image in layer 1 (40.0 kB to win) [app:1.0]',
    );
    expect(run.tool.driver.rules[2]?.help.text).toContain('rules.lowestEfficiency');
  });

  it('is valid with no findings and no gate, and maps info to note', () => {
    const empty = render([], null, { reference: 'x', toolVersion: '0.1.0' });
    expect(empty.runs[0]?.results).toEqual([]);
    const info = render(
      [{ ...SAMPLE_FINDINGS[0]!, severity: 'info', advice: undefined }],
      diveDefaultGate(),
      {
        reference: 'x',
        toolVersion: '0.1.0',
        dockerfile: 'docker/app.Dockerfile',
      },
    );
    expect(info.runs[0]?.results[0]?.level).toBe('note');
    expect(JSON.stringify(info.runs[0]?.results[0]?.locations)).toContain('docker/app.Dockerfile');
  });

  it('is caught by the schema when it is wrong (the validation can fail)', () => {
    const log = JSON.parse(
      renderSarif(SAMPLE_FINDINGS, null, { reference: 'x', toolVersion: '0.1.0' }),
    ) as Record<string, unknown>;
    expect(validate({ ...log, version: '2.0.0' })).toBe(false);
    expect(validate({ ...log, runs: [{ results: [] }] })).toBe(false);
  });
});
