import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFileList } from '../../../src/packages/dpkg.js';
import { parseStanzas, parseStanzasByLine, type Stanza } from '../../../src/packages/stanzas.js';

const VERSION_FIELDS = new Set(['package', 'version', 'architecture', 'status']);
const STATUS_FIELDS = new Set([...VERSION_FIELDS, 'installed-size', 'depends', 'pre-depends']);

const entries = (stanzas: Stanza[]): [string, string][][] => stanzas.map((stanza) => [...stanza]);

/**
 * Pieces of control files where the two readings could part: field names in other cases, with
 * whitespace a trim removes (no-break and ideographic spaces, CR, vertical tab) or that makes a
 * continuation (space, tab), blank lines of whitespace, colons, a Kelvin sign (lower-cased to an
 * ASCII "k"), a dotted capital I (to "i" and a combining dot), a long s.
 */
const PIECES = [
  'Package',
  'package',
  'PACKAGE',
  'PaCkAgE',
  'Version',
  'Status',
  'architecture',
  'Depends',
  'Pre-Depends',
  'Installed-Size',
  'Description',
  'pac\u212Aage',
  'Pre-Dİpends',
  'ſtatus',
  ' ',
  '\t',
  '\r',
  '\v',
  '\u00a0',
  '\u3000',
  ':',
  ': ',
  'x',
  'y z',
  '\n',
  '\n',
  '\n',
  '\r\n',
];
const controlText = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((pieces) => pieces.join(''));

describe('control-file stanzas', () => {
  it('finds the wanted fields by one search exactly as a reading of every line does', () => {
    fc.assert(
      fc.property(controlText, (text) => {
        for (const fields of [VERSION_FIELDS, STATUS_FIELDS]) {
          expect(entries(parseStanzas(text, fields))).toEqual(entries(parseStanzasByLine(text, fields)));
        }
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads a status file: fields of any case, continuations, stanzas apart at blank lines', () => {
    const text = [
      'Package: a',
      'Status: install ok installed',
      'Description: first',
      ' more text',
      'VERSION:  1.0 \r',
      'Depends: b,',
      ' c (>= 1)',
      '\t',
      'Package: b',
      '\u00a0version\u00a0: 2',
      'Garbage line',
      ' lost continuation',
      'Architecture: amd64',
      '',
    ].join('\n');
    expect(entries(parseStanzas(text, STATUS_FIELDS))).toEqual([
      [
        ['package', 'a'],
        ['status', 'install ok installed'],
        ['version', '1.0'],
        ['depends', 'b,\nc (>= 1)'],
      ],
      [
        ['package', 'b'],
        ['version', '2'],
        ['architecture', 'amd64'],
      ],
    ]);
  });

  it('reads a field whose name a Kelvin sign spells as toLowerCase does', () => {
    expect(entries(parseStanzas('pac\u212Aage: a\nVersion: 1\n', VERSION_FIELDS))).toEqual([
      [
        ['package', 'a'],
        ['version', '1'],
      ],
    ]);
  });

  it('reads every field, and fields of other names, a line at a time', () => {
    const text = 'Package: a\nAuto-Installed: 1\n';
    expect(entries(parseStanzas(text))).toEqual([
      [
        ['package', 'a'],
        ['auto-installed', '1'],
      ],
    ]);
    const unusual = new Set(['Package', 'auto_installed']);
    expect(entries(parseStanzas('Package: a\nauto_installed: 1\n', unusual))).toEqual([
      [['auto_installed', '1']],
    ]);
  });
});

describe("dpkg's file lists", () => {
  it('are the lines that start with "/", but "/." (the root)', () => {
    const line = fc
      .array(fc.constantFrom('/', '.', 'a', '\r', ' ', '\n', 'usr'), { maxLength: 12 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(line, (text) => {
        expect(parseFileList(text)).toEqual(
          text.split('\n').filter((listed) => listed.startsWith('/') && listed !== '/.'),
        );
      }),
      { numRuns: 20_000 },
    );
    expect(parseFileList('/.\n/usr\n/usr/bin/x\n/.hidden\n\n')).toEqual(['/usr', '/usr/bin/x', '/.hidden']);
  });
});
