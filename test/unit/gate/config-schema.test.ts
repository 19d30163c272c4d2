import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseImgscopeConfigFile, THRESHOLD_RULES } from '../../../src/gate/index.js';
import { FULL_EXAMPLE } from '../../helpers/gate-fixtures.js';

// The published JSON Schema for editors (yaml-language-server reads YAML with the core schema).
const schema = JSON.parse(
  readFileSync(new URL('../../../schema/imgscope-config.schema.json', import.meta.url), 'utf8'),
) as {
  properties: { rules: { properties: Record<string, { description: string }> } };
};
const validate = new Ajv.default({ allErrors: true }).compile(schema);
const valid = (yaml: string): boolean => validate(parse(yaml) ?? {});

describe('schema/imgscope-config.schema.json', () => {
  it('names every threshold rule, with its description', () => {
    const rules = schema.properties.rules.properties;
    expect(Object.keys(rules)).toEqual(THRESHOLD_RULES.map((r) => r.id));
    for (const rule of THRESHOLD_RULES) expect(rules[rule.id]?.description).toContain(rule.description);
  });

  it('accepts the full example, a .dive-ci file and disabled rules', () => {
    expect(valid(FULL_EXAMPLE)).toBe(true);
    expect(
      valid(
        'rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20MB\n  highestUserWastedPercent: 0.20\n',
      ),
    ).toBe(true);
    expect(
      valid(
        'rules:\n  lowestEfficiency: disabled\n  highestWastedBytes:\n  highestUserWastedPercent: false\n  maxLayers: off\n',
      ),
    ).toBe(true);
    expect(valid('rules:\n  highestWastedBytes: 20 MiB\n  maxImageSize: 1000000\n')).toBe(true);
  });

  it('agrees with the config reader on what is invalid', () => {
    const invalid = [
      'rules:\n  maxImageSze: 1GB\n',
      'rules:\n  lowestEfficiency: 1.5\n',
      'rules:\n  highestWastedBytes: 20 XB\n',
      'rules:\n  maxLayers: 2.5\n',
      'findings:\n  failOn: sometimes\n',
      'findings:\n  rules:\n    runs-as-root: fatal\n',
      'budgets: {}\n',
    ];
    for (const yaml of invalid) {
      expect(valid(yaml), yaml).toBe(false);
      expect(parseImgscopeConfigFile(yaml, 'f').issues.length, yaml).toBeGreaterThan(0);
    }
  });
});
