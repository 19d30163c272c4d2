/**
 * Control-file stanzas (Debian's deb822, as in dpkg's status and apt's extended_states):
 * `Field: value` lines, continuation lines starting with a space or tab, stanzas separated by
 * blank lines. Field names are matched case-insensitively, as dpkg does; they are kept lower-case.
 */
export type Stanza = Map<string, string>;

/** Characters that are certainly not whitespace: a line starting with one is not blank. */
const isPrintableAscii = (code: number): boolean => code > 0x20 && code < 0x7f;
const isSpaceOrTab = (code: number): boolean => code === 0x20 || code === 0x09;

/**
 * The stanzas, with only the fields in `fields` (lower-case) when it is given: no map entry for
 * the rest. Read line by line in place, not split into lines: a status file is tens of thousands
 * of lines, most of them descriptions that a look at their first two characters skips.
 */
export function parseStanzas(text: string, fields?: ReadonlySet<string>): Stanza[] {
  const stanzas: Stanza[] = [];
  let current: Stanza = new Map();
  let field: string | null = null;
  for (let next = 0; next <= text.length;) {
    const start = next;
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    next = end + 1;
    // A line's one trailing CR is not part of it.
    const stop = end > start && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
    const first = stop > start ? text.charCodeAt(start) : -1;
    const second = stop > start + 1 ? text.charCodeAt(start + 1) : -1;
    // Only a line starting with whitespace can be blank; most such are plainly continuations.
    const blank =
      first < 0 ||
      (!isPrintableAscii(first) &&
        !(isSpaceOrTab(first) && isPrintableAscii(second)) &&
        text.slice(start, stop).trim() === '');
    if (blank) {
      if (current.size > 0) stanzas.push(current);
      current = new Map();
      field = null;
      continue;
    }
    if (isSpaceOrTab(first)) {
      if (field !== null) current.set(field, `${current.get(field) ?? ''}\n${text.slice(start + 1, stop)}`);
      continue;
    }
    const colon = text.indexOf(':', start);
    if (colon <= start || colon >= stop) {
      field = null;
      continue;
    }
    field = text.slice(start, colon).trim().toLowerCase();
    if (fields !== undefined && !fields.has(field)) {
      field = null;
      continue;
    }
    current.set(field, text.slice(colon + 1, stop).trim());
  }
  if (current.size > 0) stanzas.push(current);
  return stanzas;
}
