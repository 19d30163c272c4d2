/**
 * Control-file stanzas (Debian's deb822, as in dpkg's status and apt's extended_states):
 * `Field: value` lines, continuation lines starting with a space or tab, stanzas separated by
 * blank lines. Field names are matched case-insensitively, as dpkg does; they are kept lower-case.
 */
export type Stanza = Map<string, string>;

/** Characters that are certainly not whitespace: a line starting with one is not blank. */
const isPrintableAscii = (code: number): boolean => code > 0x20 && code < 0x7f;
const isSpaceOrTab = (code: number): boolean => code === 0x20 || code === 0x09;

/** Where the line `text[start, end)` stops: a line's one trailing CR is not part of it. */
function lineStop(text: string, start: number, end: number): number {
  return end > start && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
}

/**
 * Whether the line `text[start, stop)` is blank (whitespace only). Only a line starting with
 * whitespace can be; most such are plainly continuations, told by their first two characters.
 */
function isBlankLine(text: string, start: number, stop: number): boolean {
  if (stop <= start) return true;
  const first = text.charCodeAt(start);
  const second = stop > start + 1 ? text.charCodeAt(start + 1) : -1;
  return (
    !isPrintableAscii(first) &&
    !(isSpaceOrTab(first) && isPrintableAscii(second)) &&
    text.slice(start, stop).trim() === ''
  );
}

/**
 * The stanzas, with only the fields in `fields` (lower-case) when it is given: no map entry for
 * the rest. With `fields`, the lines that matter (blank lines, the wanted fields' lines) are
 * found by one regular expression over the text (V8's own code), and the lines between them,
 * most of a status file, are never looked at here; `parseStanzasByLine` is the same reading a
 * line at a time.
 */
export function parseStanzas(text: string, fields?: ReadonlySet<string>): Stanza[] {
  // The Kelvin sign lower-cases to an ASCII "k" ("pac\u212Aage" is a Package field to
  // toLowerCase), which the expression's case-insensitive names do not match.
  const lines = fields === undefined ? null : wantedLines(fields);
  if (lines === null || text.includes('\u212A')) return parseStanzasByLine(text, fields);
  const stanzas: Stanza[] = [];
  let current: Stanza = new Map();
  // Each line the expression looks at follows a newline: the text's first line too.
  const scanned = `\n${text}`;
  lines.lastIndex = 0;
  for (let match = lines.exec(scanned); match !== null; match = lines.exec(scanned)) {
    const [, name, value] = match;
    if (name === undefined || value === undefined) {
      if (current.size > 0) stanzas.push(current);
      current = new Map();
      continue;
    }
    const field = name.toLowerCase();
    let joined = value.trim();
    // Continuation lines (a space or tab, then something not blank) belong to the field; the
    // search passes over them (neither blank nor a field's line).
    let end = lines.lastIndex;
    while (end < scanned.length && isSpaceOrTab(scanned.charCodeAt(end + 1))) {
      const start = end + 1;
      const newline = scanned.indexOf('\n', start);
      const lineEnd = newline < 0 ? scanned.length : newline;
      const stop = lineStop(scanned, start, lineEnd);
      if (isBlankLine(scanned, start, stop)) break;
      joined = `${joined}\n${scanned.slice(start + 1, stop)}`;
      end = lineEnd;
    }
    current.set(field, joined);
  }
  if (current.size > 0) stanzas.push(current);
  return stanzas;
}

/**
 * Per set of wanted fields, the expression that finds, each after a newline, a blank line
 * (whitespace only: no name, no value) or a line of a wanted field (its name, then what follows
 * the first colon). A field line starts with no space or tab (that is a continuation) and its
 * name is the text before the first colon, trimmed: whitespace other than newlines around it.
 * Case-insensitive without the `u` flag matches ASCII letters' cases only, as toLowerCase does
 * but for the Kelvin sign (see parseStanzas).
 */
const WANTED_LINES = new WeakMap<ReadonlySet<string>, RegExp | null>();

/** Null where a name is not of lower-case ASCII letters, digits and hyphens (as every field dpkg knows). */
function wantedLines(fields: ReadonlySet<string>): RegExp | null {
  let lines = WANTED_LINES.get(fields);
  if (lines === undefined) {
    const names = [...fields];
    lines =
      names.length > 0 && names.every((name) => /^[a-z0-9-]+$/.test(name))
        ? new RegExp(
            `\\n(?:[^\\S\\n]*(?=\\n|$)|(?![ \\t])[^\\S\\n]*(${names.join('|')})[^\\S\\n]*:([^\\n]*))`,
            'gi',
          )
        : null;
    WANTED_LINES.set(fields, lines);
  }
  return lines;
}

/**
 * `parseStanzas` a line at a time: every field when `fields` is not given. Read in place, not
 * split into lines: a status file is tens of thousands of lines, most of them descriptions that
 * a look at their first two characters skips.
 */
export function parseStanzasByLine(text: string, fields?: ReadonlySet<string>): Stanza[] {
  const stanzas: Stanza[] = [];
  let current: Stanza = new Map();
  let field: string | null = null;
  for (let next = 0; next <= text.length;) {
    const start = next;
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    next = end + 1;
    const stop = lineStop(text, start, end);
    if (isBlankLine(text, start, stop)) {
      if (current.size > 0) stanzas.push(current);
      current = new Map();
      field = null;
      continue;
    }
    // Not blank: the line has a first character.
    if (isSpaceOrTab(text.charCodeAt(start))) {
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
