/**
 * Text read from an image (paths, history commands, package names, the config's user and
 * platform) shown on a terminal: its control characters (C0 but the newline, DEL, C1) written as
 * `\u001b`, never sent as they are. A history entry or a file name holding ESC [2J, an OSC title
 * or clipboard sequence, or a colour would otherwise drive the terminal of whoever reads the
 * report. The newline is a line break the renderers place (a table's multi-line cell); the text
 * they take from an image has its whitespace folded or its lines split already.
 */
export function terminalText(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
