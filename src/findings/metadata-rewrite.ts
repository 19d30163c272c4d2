import type { Analysis } from '../model/index.js';
import { layerInstruction } from './layer-instruction.js';
import type { TrackedEntry } from './layer-timeline.js';
import { someCommand } from './run-rewrite.js';

/**
 * Why a layer wrote the same bytes again (content hash equal): for a new owner (`chown`), a new
 * mode (`chmod`), or neither that history tells (null). Where both changed, the command decides.
 * A COPY/ADD that brings a file again is not a rewrite for ownership: it is the build-cache
 * pattern (copy the dependency manifest first, then the whole context).
 */
export function rewriteReason(analysis: Analysis, lower: TrackedEntry): 'chown' | 'chmod' | null {
  if (lower.fate.kind !== 'rewritten' || isCopy(analysis, lower.fate.by)) return null;
  const upper = lower.fate.replacement.entry;
  const ownerChanged = upper.uid !== lower.entry.uid || upper.gid !== lower.entry.gid;
  const modeChanged = (upper.mode & 0o7777) !== (lower.entry.mode & 0o7777);
  if (ownerChanged && !modeChanged) return 'chown';
  if (modeChanged && !ownerChanged) return 'chmod';
  const instruction = layerInstruction(analysis, lower.fate.by);
  const runs = (program: string): boolean =>
    instruction.keyword === 'RUN' && someCommand(instruction.args, (_c, name) => name === program);
  const chown = runs('chown');
  const chmod = runs('chmod');
  if (ownerChanged) return chmod && !chown ? 'chmod' : 'chown';
  if (chown !== chmod) return chown ? 'chown' : 'chmod';
  return null;
}

/** Whether a layer was made by COPY or ADD. */
export function isCopy(analysis: Analysis, layer: number): boolean {
  const keyword = layerInstruction(analysis, layer).keyword;
  return keyword === 'COPY' || keyword === 'ADD';
}
