import { EXIT_CODES } from '../errors.js';
import type { AuditSummary } from '../model/index.js';

/**
 * An audit's exit code: an image that could not be audited makes the audit incomplete, and the
 * worst such failure decides (a bug, then registry/network, then bad input); then a failed gate.
 */
export function auditExitCode(summary: AuditSummary): number {
  const codes = new Set(summary.failures.map((failure) => failure.exitCode));
  for (const code of [EXIT_CODES.bug, EXIT_CODES.registry, EXIT_CODES.badInput]) {
    if (codes.has(code)) return code;
  }
  if (codes.size > 0) return EXIT_CODES.registry;
  return summary.gate !== null && summary.gate.failed.length > 0 ? EXIT_CODES.gateFailed : EXIT_CODES.ok;
}
