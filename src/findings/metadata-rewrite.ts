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
  const { chown, chmod } = programsOf(analysis, lower.fate.by);
  if (ownerChanged) return chmod && !chown ? 'chmod' : 'chown';
  if (chown !== chmod) return chown ? 'chown' : 'chmod';
  return null;
}

const programs = new WeakMap<Analysis, Map<number, { chown: boolean; chmod: boolean }>>();

/** Whether a layer's RUN runs chown / chmod (asked once per file, so remembered per layer). */
function programsOf(analysis: Analysis, layer: number): { chown: boolean; chmod: boolean } {
  let byLayer = programs.get(analysis);
  if (byLayer === undefined) {
    byLayer = new Map();
    programs.set(analysis, byLayer);
  }
  let found = byLayer.get(layer);
  if (found === undefined) {
    const instruction = layerInstruction(analysis, layer);
    const runs = (program: string): boolean =>
      instruction.keyword === 'RUN' && someCommand(instruction.args, (_c, name) => name === program);
    found = { chown: runs('chown'), chmod: runs('chmod') };
    byLayer.set(layer, found);
  }
  return found;
}

/** Whether a layer was made by COPY or ADD. */
export function isCopy(analysis: Analysis, layer: number): boolean {
  const keyword = layerInstruction(analysis, layer).keyword;
  return keyword === 'COPY' || keyword === 'ADD';
}
