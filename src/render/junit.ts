import type { GateFindingResult, GateResult, GateRuleResult } from '../model/index.js';
import { formatBytes } from './format.js';
import { formatGateThreshold, formatGateValue } from './gate-values.js';
import { escapeXml } from './xml-escape.js';

export interface JunitOptions {
  /** The image the gate ran on; names the test suites. */
  reference: string;
}

interface TestCase {
  name: string;
  classname: string;
  outcome: 'pass' | 'fail' | 'skip';
  message: string;
  details: string;
}

/**
 * JUnit XML as CI systems read it (GitLab, Jenkins, Azure, GitHub test reporters): one
 * `<testsuite>` for the rules with a `<testcase>` each, one for the findings that gate with a
 * `<testcase>` each. FAIL is a `<failure>`, SKIP is `<skipped>`, WARN passes with its message in
 * `<system-out>`.
 */
export function renderJunit(gate: GateResult, options: JunitOptions): string {
  const suites = [
    suite(`imgscope gate: ${options.reference}`, gate.rules.map(ruleCase)),
    ...(gate.findings.length > 0
      ? [suite(`imgscope findings: ${options.reference}`, gate.findings.map(findingCase))]
      : []),
  ];
  const all = [...gate.rules.map(ruleCase), ...gate.findings.map(findingCase)];
  const head =
    `<testsuites name="imgscope" tests="${all.length}" failures="${count(all, 'fail')}" errors="0" ` +
    `skipped="${count(all, 'skip')}" time="0">`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', head, ...suites, '</testsuites>', ''].join('\n');
}

function ruleCase(rule: GateRuleResult): TestCase {
  return {
    name: rule.id,
    classname: `imgscope.gate.${rule.kind}`,
    outcome: rule.status === 'FAIL' ? 'fail' : rule.status === 'SKIP' ? 'skip' : 'pass',
    message: rule.message,
    details: [
      `status: ${rule.status}`,
      `value: ${formatGateValue(rule)}`,
      `threshold: ${formatGateThreshold(rule)} (from ${rule.source})`,
      rule.message,
      rule.description,
    ].join('\n'),
  };
}

function findingCase(f: GateFindingResult): TestCase {
  return {
    name: `${f.id}: ${f.title}`,
    classname: 'imgscope.findings',
    outcome: f.status === 'FAIL' ? 'fail' : 'pass',
    message: f.message,
    details: [
      `status: ${f.status}`,
      `severity: ${f.severity}`,
      ...(f.layerIndex === null ? [] : [`layer: ${f.layerIndex}`]),
      ...(f.wastedBytes > 0 ? [`wasted: ${formatBytes(f.wastedBytes)} (${f.wastedBytes} bytes)`] : []),
      ...(f.paths.length > 0 ? ['paths:', ...f.paths.map((p) => `  ${p}`)] : []),
      ...(f.advice === null ? [] : ['advice:', f.advice]),
    ].join('\n'),
  };
}

function suite(name: string, cases: readonly TestCase[]): string {
  const lines = [
    `  <testsuite name="${escapeXml(name)}" tests="${cases.length}" failures="${count(cases, 'fail')}" ` +
      `errors="0" skipped="${count(cases, 'skip')}" time="0">`,
  ];
  for (const c of cases) {
    const open = `    <testcase name="${escapeXml(c.name)}" classname="${escapeXml(c.classname)}" time="0"`;
    if (c.outcome === 'fail') {
      lines.push(`${open}>`);
      lines.push(
        `      <failure message="${escapeXml(c.message)}" type="gate">${escapeXml(c.details)}</failure>`,
      );
      lines.push('    </testcase>');
    } else if (c.outcome === 'skip') {
      lines.push(`${open}>`, `      <skipped message="${escapeXml(c.message)}"/>`, '    </testcase>');
    } else {
      lines.push(`${open}>`, `      <system-out>${escapeXml(c.details)}</system-out>`, '    </testcase>');
    }
  }
  lines.push('  </testsuite>');
  return lines.join('\n');
}

function count(cases: readonly TestCase[], outcome: TestCase['outcome']): number {
  return cases.filter((c) => c.outcome === outcome).length;
}
