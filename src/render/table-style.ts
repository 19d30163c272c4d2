import Table from 'cli-table3';
import { terminalText } from './terminal-text.js';

/** cli-table3 styles shared by the terminal reports: no colours (NO_COLOR-safe), no rules between rows. */
export const PLAIN = { head: [], border: [] };
export const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

/**
 * A cli-table3 table whose text cells are shown as text (`terminalText`: escaped before the
 * table measures them, so its columns stay aligned). The library is bundled with the commands
 * (scripts/bundle-commands.js): evaluating it costs about a millisecond where requiring it from
 * node_modules cost 5-10.
 */
export function textTable(options: Table.TableConstructorOptions): Table.Table {
  const table = new Table(options);
  const push = table.push.bind(table);
  table.push = (...rows: Parameters<typeof push>): number =>
    push(...rows.map((row) => (Array.isArray(row) ? row.map(shownCell) : row)));
  return table;
}

function shownCell<T>(cell: T): T | string {
  return typeof cell === 'string' ? terminalText(cell) : cell;
}
