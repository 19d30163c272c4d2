import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeRules } from '../../../src/findings/index.js';
import { PROJECT_ROOT } from '../../helpers/run-cli.js';

describe('README rule table', () => {
  it('lists every rule with its severity and related linter ids', () => {
    const readme = readFileSync(`${PROJECT_ROOT}README.md`, 'utf8');
    const rows = new Map(
      [...readme.matchAll(/^\| `([a-z-]+)` +\| (\w+) +\|.*\| ([^|]*?) +\|$/gm)].map((m) => [
        m[1],
        [m[2], m[3]],
      ]),
    );
    for (const rule of describeRules()) {
      expect(rows.get(rule.id), rule.id).toEqual([rule.severity, rule.related.join(', ') || '—']);
    }
    expect(rows.size).toBe(describeRules().length);
  });
});
