/**
 * References from a file (`-f images.txt`): one per line; blank lines and `#` comments are
 * skipped, surrounding spaces trimmed.
 */
export function parseImageList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '');
}
