import { describe, expect, it } from 'vitest';
import { parseBytes } from '../../../src/gate/index.js';

const value = (text: string): number => {
  const parsed = parseBytes(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
};

describe('parseBytes (go-humanize ParseBytes, as dive parses highestWastedBytes)', () => {
  it('reads decimal units case-insensitively: 20MB = 20Mb = 20mb = 20M = 20,000,000', () => {
    for (const text of ['20MB', '20Mb', '20mb', '20mB', '20M', '20m', '20 MB', '20 mb']) {
      expect(value(text), text).toBe(20_000_000);
    }
  });

  it('reads binary units: 20MiB = 20mib = 20Mi = 20,971,520', () => {
    for (const text of ['20MiB', '20mib', '20MIB', '20Mi', '20 MiB', '20 mi']) {
      expect(value(text), text).toBe(20_971_520);
    }
  });

  it("matches go-humanize's own test table", () => {
    const table: [string, number][] = [
      ['42', 42],
      ['42MB', 42_000_000],
      ['42MiB', 44_040_192],
      ['42.5MB', 42_500_000],
      ['42.5MiB', 44_564_480],
      ['42.5 M', 42_500_000],
      ['42.5 Mi', 44_564_480],
      ['12.5 EB', 12.5e18],
      ['12.5 EiB', 12.5 * 2 ** 60],
    ];
    for (const [text, bytes] of table) expect(value(text), text).toBe(bytes);
  });

  it('reads bare numbers as bytes, every unit, decimals (truncated), B and k', () => {
    expect(value('0')).toBe(0);
    expect(value('32025')).toBe(32_025);
    expect(value('32025B')).toBe(32_025);
    expect(value('50kB')).toBe(50_000);
    expect(value('50k')).toBe(50_000);
    expect(value('1KiB')).toBe(1024);
    expect(value('1.5KiB')).toBe(1536);
    expect(value('1GB')).toBe(1e9);
    expect(value('1GiB')).toBe(2 ** 30);
    expect(value('2TB')).toBe(2e12);
    expect(value('1TiB')).toBe(2 ** 40);
    expect(value('1PB')).toBe(1e15);
    expect(value('0.1KB')).toBe(100);
    expect(value('1.0009KB')).toBe(1000);
    expect(value('.5KB')).toBe(500);
    expect(value('5.KB')).toBe(5000);
    expect(value('20MB  ')).toBe(20_000_000);
    expect(value('1,000,000')).toBe(1_000_000);
  });

  it('refuses unknown units, missing numbers, signs, leading spaces and overflow', () => {
    for (const text of [
      '84 JB',
      '',
      'MB',
      '20 XB',
      '20MBs',
      '20 mega',
      '-1MB',
      ' 20MB',
      '1.2.3MB',
      '.',
      '1e6',
      '16 EiB',
    ]) {
      const parsed = parseBytes(text);
      expect(parsed.ok, JSON.stringify(text)).toBe(false);
    }
    const unit = parseBytes('84 JB');
    expect(unit.ok ? '' : unit.reason).toContain('unknown size unit "jb"');
    const large = parseBytes('16 EiB');
    expect(large.ok ? '' : large.reason).toContain('too large');
  });
});
