import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  selection,
  timelineOf,
  type EntryProbe,
  type TrackedEntry,
} from '../../../src/findings/layer-timeline.js';
import { analysisOfLayers, layer } from '../../helpers/layer-contents.js';

// Every selection of this file has an offer (as every rule's has): the shared walk here is
// `walkOffered`, and each selection must get what a walk of every entry gives its filter.

const ARCHIVE = selection((entry) => entry.type === 'file' && /\.tar(?:\.gz)?$/.test(entry.path), {
  paths: /\.tar/,
});
// A pattern that can run from one path into the next: the path after must still be searched.
const SPANNING = selection((entry) => /x[^/]*y/.test(entry.path), { paths: /x[^/]*y/ });
const FLAGGED_OR_KEY = selection(
  (entry) => entry.secretKinds !== undefined || entry.path.endsWith('/id_rsa'),
  { paths: /id_/, flagged: true },
);
const HIDDEN_FILES = selection((entry) => !entry.visible && entry.type === 'file', { hidden: true });
// Anchors hold at each path's ends: the search is multi-line.
const ANCHORED_PATTERN = /^\/d\/x$|\.tar$/;
const ANCHORED = selection((entry) => ANCHORED_PATTERN.test(entry.path), { paths: ANCHORED_PATTERN });

const named = (entries: readonly TrackedEntry[]): string[] =>
  entries.map((tracked) => `${tracked.layer}:${tracked.index}:${tracked.fate.kind}`);

describe('the walk of offered entries', () => {
  it('gives each selection what a walk of every entry gives its filter', () => {
    const names = ['a.tar', 'b.tar.gz', 'id_rsa', 'x', 'y', 'x\ny', 'xy', 'plain', '.tar\n', 'dir/x', 'e'];
    const entry = fc.tuple(
      fc.constantFrom('file', 'dir', 'symlink', 'whiteout'),
      fc.constantFrom('/d', '/d/e', '/x', ''),
      fc.constantFrom(...names),
      fc.boolean(),
    );
    // A layer of over 1,024 paths is searched in its paths joined, a smaller one path by path:
    // padded with plain files, the same entries take the other way.
    const padding = Array.from({ length: 1100 }, (_, at): [string, string, string, boolean] => [
      'file',
      '/pad',
      `p${at}`,
      false,
    ]);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.array(entry, { maxLength: 12 }), fc.boolean()), { minLength: 1, maxLength: 3 }),
        (generated) => {
          const layers = generated.map(([specs, padded]) => (padded ? [...padding, ...specs] : specs));
          const contents = layers.map((specs) => {
            const made = layer(
              ...specs.map(([type, dir, name]) => {
                const path = `${dir}/${name}`;
                const spec: Parameters<typeof layer>[number] =
                  type === 'file'
                    ? ['file', path, 1]
                    : type === 'dir'
                      ? ['dir', path]
                      : type === 'symlink'
                        ? ['symlink', path, 'target']
                        : ['whiteout', path];
                return spec;
              }),
            );
            specs.forEach(([, , , secret], index) => {
              if (secret) made.entries.setSecretKinds(index, ['private-key']);
            });
            return made;
          });
          const analysis = analysisOfLayers(contents);
          const timeline = timelineOf(analysis);
          for (const made of [ARCHIVE, SPANNING, FLAGGED_OR_KEY, HIDDEN_FILES, ANCHORED])
            expect(named(timeline.selected(made))).toEqual(named(timeline.where(made.keep)));
          // A walk of its own from a later layer, with an offer, as the toolchain rule's.
          const visibleArchives = (entry: EntryProbe): boolean => entry.visible && ARCHIVE.keep(entry);
          expect(named(timeline.where(visibleArchives, 1, { paths: /\.tar/ }))).toEqual(
            named(timeline.where(visibleArchives, 1)),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds the offered entries of a layer searched in several blocks of paths', () => {
    const paths = Array.from(
      { length: 40_000 },
      (_, at) => `/d${at % 13}/f${at}${at % 7 === 0 ? '.tar' : ''}`,
    );
    const analysis = analysisOfLayers([
      layer(...paths.map((path): Parameters<typeof layer>[number] => ['file', path, 1])),
    ]);
    const timeline = timelineOf(analysis);
    const archives = timeline.selected(ARCHIVE);
    expect(archives).toHaveLength(Math.ceil(40_000 / 7));
    expect(named(archives)).toEqual(named(timeline.where(ARCHIVE.keep)));
  });

  it('refuses a pattern with flags (the walk makes its own search of all the patterns)', () => {
    expect(() => selection(() => true, { paths: /cache/i })).toThrow('takes no flags');
  });
});
