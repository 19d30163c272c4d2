import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../../src/render/index.js';
import { diveDefaultGate, fullGate } from '../../helpers/gate-results.js';

interface Case {
  '@_name': string;
  '@_classname': string;
  failure?: { '@_message': string; '#text': string };
  skipped?: { '@_message': string };
  'system-out'?: string;
}
interface Suite {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  '@_skipped': string;
  testcase: Case[];
}

function parse(xml: string): {
  '@_tests': string;
  '@_failures': string;
  '@_skipped': string;
  testsuite: Suite[];
} {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parser = new XMLParser({
    ignoreAttributes: false,
    isArray: (name) => name === 'testsuite' || name === 'testcase',
  });
  return (parser.parse(xml) as { testsuites: ReturnType<typeof parse> }).testsuites;
}

describe('renderJunit', () => {
  it('writes one test case per rule: failure for FAIL, skipped for SKIP', () => {
    const doc = parse(renderJunit(diveDefaultGate(), { reference: 'test-docker-image.tar' }));
    expect(doc).toMatchObject({ '@_tests': '3', '@_failures': '1', '@_skipped': '1' });
    expect(doc.testsuite).toHaveLength(1);
    const suite = doc.testsuite[0]!;
    expect(suite['@_name']).toBe('imgscope gate: test-docker-image.tar');
    expect(suite.testcase.map((c) => c['@_name'])).toEqual([
      'lowestEfficiency',
      'highestWastedBytes',
      'highestUserWastedPercent',
    ]);
    const [pass, skip, fail] = suite.testcase;
    expect(pass?.failure).toBeUndefined();
    expect(pass?.['system-out']).toContain('status: PASS');
    expect(skip?.skipped?.['@_message']).toBe('rule disabled');
    expect(fail?.failure?.['@_message']).toContain('is above the threshold 0.1');
    expect(fail?.failure?.['#text']).toContain('threshold: 10.00 % (from default)');
    expect(fail?.['@_classname']).toBe('imgscope.gate.dive');
  });

  it('adds a suite with one test case per gating finding, and escapes XML', () => {
    const xml = renderJunit(fullGate(), { reference: 'app:1.0 <"pr">' });
    const doc = parse(xml);
    expect(doc).toMatchObject({ '@_tests': '8', '@_failures': '5', '@_skipped': '1' });
    const findings = doc.testsuite[1]!;
    expect(findings['@_name']).toBe('imgscope findings: app:1.0 <"pr">');
    expect(findings.testcase.map((c) => [c['@_name'], c.failure === undefined ? 'pass' : 'fail'])).toEqual([
      ['apt-lists-left-behind: apt package lists left in the image', 'pass'],
      ['runs-as-root: the image runs as root <uid 0> & has no USER', 'fail'],
    ]);
    expect(findings.testcase[1]?.failure?.['#text']).toContain(
      'advice:\nAdd `USER 10001:10001` before the ENTRYPOINT.',
    );
    expect(xml).toContain('&lt;uid 0&gt; &amp; has no USER');
  });
});
