import { createRequire } from 'node:module';
import type Table from 'cli-table3';

/** cli-table3 styles shared by the terminal reports: no colours (NO_COLOR-safe), no rules between rows. */
export const PLAIN = { head: [], border: [] };
export const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

let tableClass: typeof Table | undefined;

/** A cli-table3 table; the library is required on first use, so JSON runs never load it (start-up). */
export function textTable(options: Table.TableConstructorOptions): Table.Table {
  tableClass ??= createRequire(import.meta.url)('cli-table3') as typeof Table;
  return new tableClass(options);
}
