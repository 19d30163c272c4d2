import { terminalText } from './terminal-text.js';

/**
 * Text placed in Markdown as written, on GitHub (CommonMark + GFM tables): everything read from
 * an image (paths, history, titles) is untrusted and must not turn into HTML, emphasis, links or
 * extra table columns, nor, where the Markdown is printed (`diff --format markdown`), into
 * terminal control sequences (`terminalText`).
 */

/** Escapes CommonMark's inline syntax (backslash escapes for ASCII punctuation) and table pipes. */
export function markdownText(text: string): string {
  return terminalText(text.replace(/\r?\n/g, ' ')).replace(/[\\`*_[\]<>&|~#!]/g, (c) => `\\${c}`);
}

/** An inline code span that holds any text: a fence longer than its longest backtick run. */
export function markdownCode(text: string, inTable = true): string {
  const flat = terminalText(text.replace(/\r?\n/g, ' '));
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  // GFM splits table cells on pipes even inside code spans, unless escaped.
  const body = inTable ? flat.replace(/\|/g, '\\|') : flat;
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** A fenced code block that holds any text: a fence longer than any backtick run in it. */
export function markdownCodeBlock(text: string, language = ''): string[] {
  const shown = terminalText(text);
  const longest = Math.max(0, ...[...shown.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${language}`, ...shown.split(/\r?\n/), fence];
}
