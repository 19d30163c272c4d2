import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { loadGateConfig } from '../../../src/services/index.js';
import { cleanupTempDirs, tempDir } from '../../helpers/temp.js';

afterAll(cleanupTempDirs);

async function tree(files: Record<string, string>): Promise<string> {
  const root = await tempDir('imgscope-gate-config-');
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
  return root;
}

const noFlags = { thresholds: {} };

describe('loadGateConfig', () => {
  it("is dive's defaults when there is no file and no flag", async () => {
    const cwd = await tree({ 'empty/.keep': '' });
    const config = await loadGateConfig({ cwd: path.join(cwd, 'empty'), flags: noFlags });
    expect(config.configFiles).toEqual([]);
    expect(config.thresholds.lowestEfficiency.value).toBe(0.9);
  });

  it('reads ./.dive-ci but not a parent .dive-ci (dive reads the working directory only)', async () => {
    const root = await tree({ '.dive-ci': 'rules:\n  lowestEfficiency: 0.5\n', 'sub/.keep': '' });
    expect((await loadGateConfig({ cwd: root, flags: noFlags })).thresholds.lowestEfficiency.value).toBe(0.5);
    const sub = await loadGateConfig({ cwd: path.join(root, 'sub'), flags: noFlags });
    expect(sub.thresholds.lowestEfficiency.value).toBe(0.9);
  });

  it('finds the nearest .imgscope.yml or .imgscope.yaml upwards', async () => {
    const root = await tree({
      '.imgscope.yml': 'rules:\n  maxLayers: 1\n',
      'a/.imgscope.yaml': 'rules:\n  maxLayers: 2\n',
      'a/b/c/.keep': '',
    });
    const deep = await loadGateConfig({ cwd: path.join(root, 'a', 'b', 'c'), flags: noFlags });
    expect(deep.thresholds.maxLayers.value).toBe(2);
    expect(deep.configFiles).toEqual([path.join('..', '..', '.imgscope.yaml')]);
    expect((await loadGateConfig({ cwd: root, flags: noFlags })).thresholds.maxLayers.value).toBe(1);
  });

  it('reads --ci-config and --config instead, relative to the working directory, and refuses missing ones', async () => {
    const root = await tree({
      '.dive-ci': 'rules:\n  lowestEfficiency: 0.5\n',
      'ci/dive.yml': 'rules:\n  lowestEfficiency: 0.6\n',
      'ci/gate.yml': 'rules:\n  maxLayers: 7\n',
    });
    const config = await loadGateConfig({
      cwd: root,
      ciConfigPath: 'ci/dive.yml',
      configPath: 'ci/gate.yml',
      flags: { thresholds: { 'max-layers': '8' } },
    });
    expect(config.thresholds.lowestEfficiency).toMatchObject({ value: 0.6, source: 'ci/dive.yml' });
    expect(config.thresholds.maxLayers).toMatchObject({ value: 8, source: '--max-layers' });
    expect(config.configFiles).toEqual(['ci/dive.yml', 'ci/gate.yml']);
    await expect(loadGateConfig({ cwd: root, configPath: 'nope.yml', flags: noFlags })).rejects.toThrow(
      ConfigError,
    );
    await expect(loadGateConfig({ cwd: root, ciConfigPath: 'ci', flags: noFlags })).rejects.toThrow(
      '--ci-config ci: no such file',
    );
  });
});
