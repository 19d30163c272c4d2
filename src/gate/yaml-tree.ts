import { createRequire } from 'node:module';
import type * as YamlLib from 'yaml';

let yamlLib: typeof YamlLib | undefined;
/** yaml is needed only for config files: required on first use, not at every start-up (34 ms). */
function loadYaml(): typeof YamlLib {
  return (yamlLib ??= createRequire(import.meta.url)('yaml') as typeof YamlLib);
}

/**
 * A YAML document reduced to what config reading needs: maps, lists and scalars as their literal
 * text (the failsafe schema, so `0.95`, `20MB` and `off` arrive as written, like dive's string
 * fields), with line numbers for error messages.
 */
export type YamlNode =
  | { kind: 'map'; line: number; entries: YamlEntry[] }
  | { kind: 'seq'; line: number; items: YamlNode[] }
  /** `text` is null for an empty value or a plain `~`/`null`. */
  | { kind: 'scalar'; line: number; text: string | null };

export interface YamlEntry {
  key: string;
  line: number;
  value: YamlNode;
}

export interface YamlParseError {
  line: number | undefined;
  message: string;
}

export interface ParsedYaml {
  /** null for an empty document. */
  root: YamlNode | null;
  errors: YamlParseError[];
}

const NULL_WORDS = new Set(['~', 'null', 'Null', 'NULL']);

export function parseYamlTree(text: string): ParsedYaml {
  const { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } = loadYaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { schema: 'failsafe', lineCounter, uniqueKeys: true, prettyErrors: true });
  const errors: YamlParseError[] = doc.errors.map((e) => ({
    line: e.linePos?.[0].line,
    message: (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, ''),
  }));
  if (errors.length > 0) return { root: null, errors };
  const lineOf = (node: { range?: [number, number, number] | null } | null | undefined): number =>
    node?.range ? lineCounter.linePos(node.range[0]).line : 0;

  const convert = (node: unknown, fallbackLine: number): YamlNode => {
    // `*anchor` stands for the node it names.
    if (isAlias(node)) return convert(node.resolve(doc), fallbackLine);
    if (isMap(node)) {
      const entries: YamlEntry[] = [];
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const keyNode = isScalar(pair.key) ? pair.key : null;
        const line = lineOf(keyNode) || lineOf(node);
        entries.push({ key, line, value: convert(pair.value, line) });
      }
      return { kind: 'map', line: lineOf(node) || fallbackLine, entries };
    }
    if (isSeq(node)) {
      const line = lineOf(node) || fallbackLine;
      return { kind: 'seq', line, items: node.items.map((item) => convert(item, line)) };
    }
    if (isScalar(node)) {
      const line = lineOf(node) || fallbackLine;
      const value = node.value;
      const raw = value === null || value === undefined ? '' : String(value);
      const isNull = raw === '' || (node.type === 'PLAIN' && NULL_WORDS.has(raw));
      return { kind: 'scalar', line, text: isNull ? null : raw };
    }
    // A missing value (`key:` with nothing after it).
    return { kind: 'scalar', line: fallbackLine, text: null };
  };

  const contents = doc.contents as YamlLib.Node | null;
  return { root: contents === null ? null : convert(contents, 1), errors };
}

/** A scalar's text ('' for empty/null), or undefined for a map or a list. */
export function scalarText(node: YamlNode): string | undefined {
  return node.kind === 'scalar' ? (node.text ?? '') : undefined;
}
