import { describe, expect, it } from 'vitest';
import { selection, timelineOf, type TrackedEntry } from '../../../src/findings/layer-timeline.js';
import type { Analysis } from '../../../src/model/index.js';
import { analysisOfLayers, layer } from '../../helpers/layer-contents.js';

const analysisOf = (...contents: ReturnType<typeof layer>[]): Analysis => analysisOfLayers(contents);

const named = (entries: readonly TrackedEntry[]): string[] =>
  entries.map((tracked) => `${tracked.layer}:${tracked.path}`);

const TEMPORARY = selection((entry) => entry.path.startsWith('/tmp/'));

describe('layer timeline', () => {
  const analysis = analysisOf(
    layer(['dir', '/tmp'], ['file', '/tmp/a', 10], ['file', '/keep', 5], ['symlink', '/link', 'keep']),
    layer(['whiteout', '/tmp/a'], ['file', '/tmp/b', 7], ['file', '/keep', 6, 'other-bytes']),
  );

  it('gives each selection the stored entries its filter takes, in layer then tar order, as its own walk would', () => {
    const timeline = timelineOf(analysis);
    expect(named(timeline.selected(TEMPORARY))).toEqual(['0:/tmp/a', '1:/tmp/b']);
    expect(named(timeline.hidden)).toEqual(['0:/tmp/a', '0:/keep']);
    expect(timeline.hidden.map((tracked) => tracked.fate.kind)).toEqual(['deleted', 'replaced']);
    // Found once per analysis: the same list again, from a new timeline too.
    expect(timelineOf(analysis).selected(TEMPORARY)).toBe(timeline.selected(TEMPORARY));
    expect(named(timeline.where((entry) => entry.path.startsWith('/tmp/')))).toEqual(
      named(timeline.selected(TEMPORARY)),
    );
  });

  it('walks from a layer on when asked', () => {
    expect(named(timelineOf(analysis).where((entry) => entry.type === 'file', 1))).toEqual([
      '1:/tmp/b',
      '1:/keep',
    ]);
  });

  it('finds a selection made after the first walk with a walk of its own', () => {
    const timeline = timelineOf(analysis);
    expect(named(timeline.selected(TEMPORARY))).toHaveLength(2);
    const links = selection((entry) => entry.type === 'symlink');
    expect(named(timeline.selected(links))).toEqual(['0:/link']);
  });
});
