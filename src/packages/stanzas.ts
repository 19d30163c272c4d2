/**
 * Control-file stanzas (Debian's deb822, as in dpkg's status and apt's extended_states):
 * `Field: value` lines, continuation lines starting with a space or tab, stanzas separated by
 * blank lines. Field names are matched case-insensitively, as dpkg does; they are kept lower-case.
 */
export type Stanza = Map<string, string>;

/** The stanzas, with only the fields in `fields` (lower-case) when it is given: no map entry for the rest. */
export function parseStanzas(text: string, fields?: ReadonlySet<string>): Stanza[] {
  const stanzas: Stanza[] = [];
  let current: Stanza = new Map();
  let field: string | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') {
      if (current.size > 0) stanzas.push(current);
      current = new Map();
      field = null;
      continue;
    }
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (field !== null) current.set(field, `${current.get(field) ?? ''}\n${line.slice(1)}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      field = null;
      continue;
    }
    field = line.slice(0, colon).trim().toLowerCase();
    if (fields !== undefined && !fields.has(field)) {
      field = null;
      continue;
    }
    current.set(field, line.slice(colon + 1).trim());
  }
  if (current.size > 0) stanzas.push(current);
  return stanzas;
}
