import type { GateResult, GateRuleResult, GateStatus } from '../model/index.js';
import { summarize } from './evaluate-gate.js';
import { humanBytes } from './format-values.js';
import { parseBytes } from './parse-bytes.js';
import { bad, ok, type Parsed } from './parsed.js';

/** How much an image may grow between two builds: bytes ("10MB") or a share of before ("5%"). */
export type GrowthLimit = { kind: 'bytes'; bytes: number } | { kind: 'percent'; fraction: number };

export function parseGrowthLimit(text: string): Parsed<GrowthLimit> {
  const trimmed = text.trim();
  if (trimmed.endsWith('%')) {
    const percent = Number(trimmed.slice(0, -1));
    if (trimmed.length === 1 || !Number.isFinite(percent) || percent < 0) {
      return bad(`"${text}" is not a percentage (e.g. 5%)`);
    }
    return ok({ kind: 'percent', fraction: percent / 100 });
  }
  const bytes = parseBytes(trimmed);
  return bytes.ok ? ok({ kind: 'bytes', bytes: bytes.value }) : bad(bytes.reason);
}

/**
 * The `--max-growth` gate of `imgscope diff`: FAIL when the after image is larger than the
 * before image by more than the limit (strictly, as dive's rules compare).
 */
export function evaluateGrowth(
  beforeBytes: number,
  afterBytes: number,
  limit: GrowthLimit,
  configured: string,
): GateResult {
  const growth = afterBytes - beforeBytes;
  const allowed = limit.kind === 'bytes' ? limit.bytes : Math.floor(beforeBytes * limit.fraction);
  const status: GateStatus = growth > allowed ? 'FAIL' : 'PASS';
  const change = growth >= 0 ? `grew by ${humanBytes(growth)}` : `shrank by ${humanBytes(-growth)}`;
  const rule: GateRuleResult = {
    id: 'maxGrowth',
    kind: 'budget',
    status,
    unit: 'bytes',
    description: 'Fails when the image grew by more than the allowed bytes or share of its previous size.',
    value: growth,
    threshold: allowed,
    configured,
    source: '--max-growth',
    message: `image ${change}; allowed growth ${configured} (${humanBytes(allowed)})`,
  };
  const rules = [rule];
  return {
    passed: status === 'PASS',
    rules,
    findings: [],
    summary: summarize(rules),
    configFiles: [],
    warnings: [],
  };
}
