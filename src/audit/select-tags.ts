import semver from 'semver';
import { UsageError } from '../errors.js';
import { parseTagVersion } from './tag-version.js';

export interface TagSelection {
  /** A semver range over the tags that read as versions (`>=1.20 <2`). */
  range?: string;
  /** Only version tags with exactly this variant (`alpine`); '' (the default) for none. */
  variant?: string;
  /** Tags whose name matches (any tag, version or not). */
  regex?: string;
}

/** The range, checked; a bad one is a usage error (exit 2). */
export function checkTagRange(range: string): string {
  const valid = semver.validRange(range);
  if (valid === null) throw new UsageError(`--tags ${JSON.stringify(range)} is not a semver range`);
  return range;
}

export function checkTagRegex(source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (error) {
    throw new UsageError(`--tags-regex ${JSON.stringify(source)}: ${(error as Error).message}`);
  }
}

/**
 * The tags to audit: version tags of the variant asked for that satisfy the range, plus any tag
 * the regex matches. Versions come first in ascending version order, then the others by name;
 * each tag once.
 */
export function selectTags(tags: readonly string[], selection: TagSelection): string[] {
  const variant = selection.variant ?? '';
  const range = selection.range === undefined ? null : new semver.Range(checkTagRange(selection.range));
  const regex = selection.regex === undefined ? null : checkTagRegex(selection.regex);
  const versions: { tag: string; version: string }[] = [];
  const others: string[] = [];
  for (const tag of new Set(tags)) {
    const parsed = range === null ? null : parseTagVersion(tag);
    if (parsed !== null && range !== null && parsed.variant === variant && range.test(parsed.version)) {
      versions.push({ tag, version: parsed.version });
    } else if (regex?.test(tag) === true) {
      others.push(tag);
    }
  }
  versions.sort((a, b) => semver.compare(a.version, b.version) || compareText(a.tag, b.tag));
  others.sort(compareText);
  return [...versions.map((v) => v.tag), ...others];
}

/** Code-unit order: the same on every machine (localeCompare is not). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
