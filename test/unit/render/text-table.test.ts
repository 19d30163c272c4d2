import Table from 'cli-table3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { terminalText } from '../../../src/render/terminal-text.js';
import { type ColumnAlign, TextTable } from '../../../src/render/text-table.js';

/** The same table through cli-table3, as the reports drew it before TextTable: no colours, no rules between rows. */
function cliTable3(head: string[] | undefined, rows: string[][], align: ColumnAlign[]): string {
  const table = new Table({
    ...(head === undefined ? {} : { head: head.map((cell) => terminalText(cell)) }),
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    colAligns: align,
  });
  table.push(...rows.map((row) => row.map((cell) => terminalText(cell))));
  return table.toString();
}

/** Pieces of cells: ASCII, wide (CJK, fullwidth, emoji), combining, the punctuation the fast path takes, newlines, controls. */
const PIECES = [
  'a',
  'Size',
  '1.2 MB',
  ' ',
  '',
  '漢字',
  'ｆｕｌｌ',
  '🐳',
  'e\u0301',
  '…',
  '—',
  '“q”',
  '\n',
  '\u001b[31m',
  '\t',
  '\u009b',
  'é',
  '\u200b',
];

describe('TextTable', () => {
  it('draws a boxed table with its header row, no rules between rows and aligned columns', () => {
    const table = new TextTable({ head: ['#', 'Size', 'Command'], align: ['left', 'right', 'left'] });
    table.push(['0', '1.2 MB', 'ADD file'], ['10', '0 B', 'RUN apt-get install -y curl']);
    expect(table.toString()).toBe(
      [
        '┌────┬────────┬─────────────────────────────┐',
        '│ #  │   Size │ Command                     │',
        '│ 0  │ 1.2 MB │ ADD file                    │',
        '│ 10 │    0 B │ RUN apt-get install -y curl │',
        '└────┴────────┴─────────────────────────────┘',
      ].join('\n'),
    );
  });

  it('gives a cell one line per line of its text, and a table without rows nothing', () => {
    const table = new TextTable();
    table.push(['Related', 'DL3008\nDL3009'], ['Size', '3 kB']);
    expect(table.toString()).toBe(
      [
        '┌─────────┬────────┐',
        '│ Related │ DL3008 │',
        '│         │ DL3009 │',
        '│ Size    │ 3 kB   │',
        '└─────────┴────────┘',
      ].join('\n'),
    );
    expect(new TextTable().toString()).toBe('');
  });

  it('shows control characters as text and keeps its borders aligned', () => {
    const table = new TextTable({ head: ['Path'] });
    table.push(['/etc/\u001b[31mred'], ['/etc/漢字']);
    const lines = table.toString().split('\n');
    expect(lines[2]).toBe('│ /etc/\\u001b[31mred │');
    expect(lines[3]).toBe('│ /etc/漢字          │');
    expect(table.toString()).not.toContain('\u001b');
  });

  it('refuses a row of another width than the table', () => {
    const table = new TextTable({ head: ['a', 'b'] });
    expect(() => table.push(['only one'])).toThrow('a table row of 1 cells where the table has 2');
  });

  it('lays out every table as cli-table3 does, to the byte', () => {
    const cell = fc.array(fc.constantFrom(...PIECES), { maxLength: 5 }).map((pieces) => pieces.join(''));
    const shape = fc.record({
      columns: fc.integer({ min: 1, max: 5 }),
      rows: fc.integer({ min: 0, max: 6 }),
      withHead: fc.boolean(),
    });
    const table = shape.chain(({ columns, rows, withHead }) =>
      fc.record({
        head: withHead ? fc.array(cell, { minLength: columns, maxLength: columns }) : fc.constant(undefined),
        rows: fc.array(fc.array(cell, { minLength: columns, maxLength: columns }), {
          minLength: rows,
          maxLength: rows,
        }),
        align: fc.array(fc.constantFrom<ColumnAlign>('left', 'right'), {
          minLength: columns,
          maxLength: columns,
        }),
      }),
    );
    fc.assert(
      fc.property(table, ({ head, rows, align }) => {
        const ours = new TextTable({ ...(head === undefined ? {} : { head }), align });
        ours.push(...rows);
        expect(ours.toString()).toBe(cliTable3(head, rows, align));
      }),
      { numRuns: 2_000 },
    );
  });
});
