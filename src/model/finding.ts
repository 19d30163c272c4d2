/** How bad a finding is; `error` findings are the ones a default CI gate fails on. */
export type FindingSeverity = 'error' | 'warning' | 'info';

/**
 * One problem found in an image (DESIGN.md section 1, `src/findings/`): what it is, where, what it
 * costs, and what to change in the Dockerfile.
 */
export interface Finding {
  /** Stable id of the rule that found it, e.g. `apt-lists-left-behind`. */
  id: string;
  severity: FindingSeverity;
  /** One line, e.g. "apt package lists left in the image". */
  title: string;
  /** Optional longer explanation of this occurrence. */
  message?: string;
  /** Layer that introduced the problem, where one layer did. */
  layerIndex: number | null;
  /** Bytes the advised change would save (0 for findings that are not about size). */
  wastedBytes: number;
  /** Paths inside the image the finding is about (absolute, normalised). */
  paths: string[];
  /** What to write in the Dockerfile instead. */
  advice?: string;
}
