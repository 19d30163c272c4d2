import Table from 'cli-table3';

/** cli-table3 styles shared by the terminal reports: no colours (NO_COLOR-safe), no rules between rows. */
export const PLAIN = { head: [], border: [] };
export const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

/**
 * A cli-table3 table. The library is bundled with the commands (scripts/bundle-commands.js):
 * evaluating it costs about a millisecond where requiring it from node_modules cost 5-10.
 */
export function textTable(options: Table.TableConstructorOptions): Table.Table {
  return new Table(options);
}
