import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeRules } from '../../../src/findings/index.js';
import { PROJECT_ROOT } from '../../helpers/run-cli.js';

/** Markdown's backslash escapes undone: `\*.deb` shows as `*.deb`. */
const unescape = (cell: string): string => cell.trim().replace(/\\([\\`*_|[\]()#+\-.!])/g, '$1');

describe('README rule table', () => {
  it('lists every rule with its severity, what it checks (as `imgscope rules` says) and related linter ids', () => {
    const readme = readFileSync(`${PROJECT_ROOT}README.md`, 'utf8');
    // The rules table: from its header row to the first line that is not a table row.
    const start = readme.indexOf('\n| rule ');
    const table = readme.slice(start, readme.indexOf('\n\n', start));
    const rows = new Map(
      [...table.matchAll(/^\| `([a-z][a-z-]*)` +\|(.*)\|$/gm)].map((m) => [
        m[1],
        (m[2] ?? '').split(/(?<!\\)\|/).map(unescape),
      ]),
    );
    for (const rule of describeRules()) {
      expect(rows.get(rule.id), rule.id).toEqual([
        rule.severity,
        rule.description,
        rule.related.join(', ') || '—',
      ]);
    }
    expect(rows.size).toBe(describeRules().length);
  });
});
