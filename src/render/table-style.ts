/** cli-table3 styles shared by the terminal reports: no colours (NO_COLOR-safe), no rules between rows. */
export const PLAIN = { head: [], border: [] };
export const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };
