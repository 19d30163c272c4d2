import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { displayWidth, truncate } from '../../../src/render/terminal-columns.js';

describe('displayWidth', () => {
  it('counts columns as string-width does: wide characters two, combining marks none', () => {
    for (const text of ['abc', 'RUN apt-get — “q” …', '漢字', 'ｆｕｌｌ', '🐳 whale', 'cafe\u0301', '']) {
      expect(displayWidth(text)).toBe(stringWidth(text));
    }
    expect(displayWidth('漢字 a')).toBe(6);
  });
});

describe('truncate', () => {
  it('folds whitespace and cuts ASCII to the width, the ellipsis included', () => {
    expect(truncate('  apt-get   install\n -y curl ', 100)).toBe('apt-get install -y curl');
    expect(truncate('abcdefghij', 10)).toBe('abcdefghij');
    expect(truncate('abcdefghijk', 10)).toBe('abcdefghi…');
  });

  it('cuts wide characters by the columns they take, never half of one', () => {
    const cut = truncate('/etc/漢字ファイル漢字ファイル.txt', 16);
    expect(cut).toBe('/etc/漢字ファイ…');
    expect(displayWidth(cut)).toBe(16);
    // A wide character that would end past the width is left out: 7 columns, not 8 with half of one.
    expect(truncate('ab漢字ファイル', 8)).toBe('ab漢字…');
    expect(displayWidth(truncate('ab漢字ファイル', 8))).toBeLessThanOrEqual(8);
    expect(truncate('漢字', 4)).toBe('漢字');
  });

  it('keeps an emoji whole (no lone surrogate) and combining marks with their letter', () => {
    const cut = truncate('🐳🐳🐳🐳🐳🐳', 8);
    expect(cut).toBe('🐳🐳🐳…');
    expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    expect(truncate('cafe\u0301 au lait, cafe\u0301 noir', 10)).toBe('cafe\u0301 au l…');
  });
});
