import { displayWidth } from './terminal-columns.js';
import { terminalText } from './terminal-text.js';

/** Where a column's cells sit in its width. */
export type ColumnAlign = 'left' | 'right';

export interface TextTableOptions {
  /** The header row: the table's first row, with no rule under it. */
  readonly head?: readonly string[];
  /** Each column's alignment, left where none is given. */
  readonly align?: readonly ColumnAlign[];
}

/**
 * The terminal reports' tables: boxed, no rule between rows, one space either side of a cell,
 * columns as wide as their widest line, a cell's lines split at its newlines. The layout is
 * cli-table3's for such a table, to the byte (the unit test renders generated tables through
 * both), written out for this one shape: cli-table3's general layout (spans, wrapping, colours)
 * is cold code that every run of `analyze` paid 2.5 ms of an 80 ms start for (docs/architecture.md).
 * The rules table, which wraps words in fixed widths, keeps cli-table3.
 *
 * Cells are shown as text (`terminalText`: escaped before they are measured, so the columns stay
 * aligned); every row has as many cells as the first.
 */
export class TextTable {
  private readonly rows: string[][] = [];

  constructor(private readonly options: TextTableOptions = {}) {
    if (options.head !== undefined && options.head.length > 0) this.push(options.head);
  }

  push(...rows: readonly (readonly string[])[]): void {
    for (const row of rows) {
      const columns = this.rows[0]?.length ?? row.length;
      if (row.length !== columns)
        throw new Error(`a table row of ${row.length} cells where the table has ${columns}`);
      this.rows.push(row.map((cell) => terminalText(cell)));
    }
  }

  toString(): string {
    if (this.rows.length === 0) return '';
    // Each line with the columns it takes, measured once for the widths and the padding.
    const cells = this.rows.map((row) =>
      row.map((cell) => cell.split('\n').map((text) => ({ text, width: displayWidth(text) }))),
    );
    const widths = cells[0]!.map(() => 0);
    for (const row of cells) {
      row.forEach((lines, x) => {
        for (const line of lines) widths[x] = Math.max(widths[x]!, line.width);
      });
    }
    const align = this.options.align ?? [];
    const rule = (left: string, middle: string, right: string): string =>
      left + widths.map((width) => '─'.repeat(width + 2)).join(middle) + right;
    const out = [rule('┌', '┬', '┐')];
    for (const row of cells) {
      const height = Math.max(...row.map((lines) => lines.length));
      for (let i = 0; i < height; i++) {
        let line = '│';
        row.forEach((lines, x) => {
          const { text, width } = lines[i] ?? { text: '', width: 0 };
          const padding = ' '.repeat(widths[x]! - width);
          line += ` ${align[x] === 'right' ? padding + text : text + padding} │`;
        });
        out.push(line);
      }
    }
    out.push(rule('└', '┴', '┘'));
    return out.join('\n');
  }
}
