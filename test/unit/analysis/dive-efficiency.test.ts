import { describe, expect, it } from 'vitest';
import { computeDiveMetrics } from '../../../src/analysis/index.js';
import { layer } from '../../helpers/layer-contents.js';
import { scenario } from './scenario.js';

describe('computeDiveMetrics', () => {
  it('counts leaves per path across layers as dive does', () => {
    const metrics = computeDiveMetrics(scenario);
    // smallest sizes: a 100, b 200, link 0, x 300, y 50, tool 0 (whiteout of a file), tool2 0,
    // /data 350 (whiteout of a directory counts what it held), new 10, c 5 -> 1015
    // cumulative: a 220, b 400, x 300, y 50, tool 1000, /data 350, new 10, c 5 -> 2335
    expect(metrics.efficiency).toBe(1015 / 2335);
    expect(metrics.wastedBytes).toBe(220 + 400 + 1000);
    expect(metrics.sizeBytes).toBe(1985);
    expect(metrics.userSizeBytes).toBe(335);
    expect(metrics.userWastedPercent).toBe(1620 / 335);
    expect(metrics.inefficientFiles).toEqual([
      { path: '/bin/tool', count: 2, wastedBytes: 1000 },
      { path: '/etc/b', count: 2, wastedBytes: 400 },
      { path: '/etc/a', count: 2, wastedBytes: 220 },
    ]);
  });

  it('gives efficiency 1 and no user waste percent for an empty single layer', () => {
    const metrics = computeDiveMetrics([layer(['dir', '/empty'])]);
    expect(metrics.efficiency).toBe(1);
    expect(metrics.userWastedPercent).toBeNull();
  });

  it('stops counting a layer at a whiteout of a path that never existed, as dive does', () => {
    // dive's visitor returns an error on the missing path and the rest of the layer is not visited:
    // /b (sorted after /a/.wh.ghost) never counts.
    const metrics = computeDiveMetrics([
      layer(['file', '/base', 10]),
      layer(['whiteout', '/a/ghost'], ['file', '/b', 7]),
    ]);
    expect(metrics.efficiency).toBe(1);
    expect(metrics.inefficientFiles).toEqual([]);
    expect(metrics.sizeBytes).toBe(17);
  });

  it('ignores opaque markers', () => {
    const metrics = computeDiveMetrics([
      layer(['file', '/d/f', 10]),
      layer(['opaque', '/d'], ['file', '/d/g', 1]),
    ]);
    expect(metrics.inefficientFiles).toEqual([]);
    expect(metrics.efficiency).toBe(1);
  });
});
