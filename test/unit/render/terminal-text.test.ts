import { describe, expect, it } from 'vitest';
import { terminalText } from '../../../src/render/terminal-text.js';

describe('terminalText', () => {
  it('writes control characters escaped (ESC, BEL, CR, tab, DEL, C1 CSI) and keeps the newline', () => {
    const text = 'a\u001b[2J\u001b]0;t\u0007b\rc\td\u007fe\u009b31mf\ng';
    expect(terminalText(text)).toBe('a\\u001b[2J\\u001b]0;t\\u0007b\\u000dc\\u0009d\\u007fe\\u009b31mf\ng');
  });

  it('leaves printable text as it is, and its own output (escaping twice changes nothing)', () => {
    expect(terminalText('/usr/bin/gcc-12 │ héllo — 中文')).toBe('/usr/bin/gcc-12 │ héllo — 中文');
    const once = terminalText('x\u001b[31my');
    expect(terminalText(once)).toBe(once);
  });
});
