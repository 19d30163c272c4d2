/**
 * /etc/passwd and /etc/group are read (up to `MAX_ACCOUNT_FILE_BYTES`) for the numeric ids of
 * their names: advice for `USER app` can then say `USER 10001`. Only name and id are kept.
 */
export const MAX_ACCOUNT_FILE_BYTES = 1024 * 1024;

export function isAccountFile(path: string): boolean {
  return path === '/etc/passwd' || path === '/etc/group';
}

/** `name:x:ID:...` lines -> [name, ID]; lines without a numeric third field are skipped. */
export function parseAccountIds(text: string): [string, number][] {
  const ids: [string, number][] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    const name = fields[0] ?? '';
    const id = fields[2] ?? '';
    if (name !== '' && !name.startsWith('#') && /^\d+$/.test(id)) ids.push([name, Number(id)]);
  }
  return ids;
}
