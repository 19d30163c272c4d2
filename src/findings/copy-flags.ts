import type { Instruction } from '../model/index.js';

/** The classic builder's record of a COPY source (`dir:5f1d0c9e8b7a…`): the name is lost. */
const HASHED_SOURCE = /^(file|dir|multi):[0-9a-f]+…?$/;

/**
 * A COPY/ADD line with `--chown=`/`--chmod=` set (replacing a value already there), written so
 * it can be pasted: a classic builder's hashed source becomes `<your source>`, since history
 * keeps only its hash. Other options (`--from=`, `--link`) stay.
 */
export function copyWithFlags(
  instruction: Instruction,
  flags: ReadonlyMap<'chown' | 'chmod', string>,
): string {
  const words = instruction.args.split(/\s+/).filter(Boolean);
  let first = 0;
  while (first < words.length && (words[first] ?? '').startsWith('--')) first++;
  const names = [...flags.keys()].sort();
  const kept = words.slice(0, first).filter((word) => !names.some((name) => word.startsWith(`--${name}=`)));
  const rest = words.slice(first).map((word) => {
    const hashed = HASHED_SOURCE.exec(word);
    if (hashed === null) return word;
    return hashed[1] === 'multi' ? '<your sources>' : '<your source>';
  });
  return [
    instruction.keyword,
    ...names.map((name) => `--${name}=${flags.get(name) ?? ''}`),
    ...kept,
    ...rest,
  ].join(' ');
}
