import { describe, expect, it } from 'vitest';
import { bytesText } from '../../../src/findings/finding-builder.js';

describe('bytesText', () => {
  it('groups thousands with commas, as en-US does', () => {
    expect(bytesText(0)).toBe('0 bytes');
    expect(bytesText(999)).toBe('999 bytes');
    expect(bytesText(1000)).toBe('1,000 bytes');
    expect(bytesText(123456)).toBe('123,456 bytes');
    expect(bytesText(1234567)).toBe('1,234,567 bytes');
    expect(bytesText(-1234567)).toBe('-1,234,567 bytes');
    expect(bytesText(Number.MAX_SAFE_INTEGER)).toBe('9,007,199,254,740,991 bytes');
  });

  it('matches toLocaleString on every integer width', () => {
    for (let bytes = 1; bytes < 1e15; bytes = bytes * 10 + 7) {
      expect(bytesText(bytes)).toBe(`${bytes.toLocaleString('en-US')} bytes`);
    }
  });
});
