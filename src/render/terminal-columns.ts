import stringWidth from 'string-width';

/**
 * Columns a line of text takes on a terminal, as cli-table3 counts them (string-width: wide
 * characters two, combining marks none). Printable ASCII and the punctuation U+2010-U+2027
 * (dashes, quotes, the ellipsis of a truncated cell) are one column each: such a line, nearly
 * every one, is as wide as it is long, without string-width's emoji pattern (milliseconds to
 * compile).
 */
export function displayWidth(line: string): number {
  return isNarrow(line) ? line.length : stringWidth(line);
}

/** Whether every character of `text` takes one column and one UTF-16 unit. */
function isNarrow(text: string): boolean {
  return /^[\x20-\x7e\u2010-\u2027]*$/.test(text);
}

/** Cuts a line to `width` terminal columns with an ellipsis, so tables keep their shape. */
export function truncate(text: string, width: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (isNarrow(oneLine))
    return oneLine.length <= width ? oneLine : `${oneLine.slice(0, Math.max(0, width - 1))}…`;
  if (displayWidth(oneLine) <= width) return oneLine;
  // Wide characters take two columns; a character is never cut in half (an emoji's surrogates).
  let kept = '';
  let used = 0;
  for (const char of oneLine) {
    used += displayWidth(char);
    if (used > width - 1) break;
    kept += char;
  }
  return `${kept}…`;
}
