import type { Interfaces } from '@oclif/core';
import { closestName } from './suggest.js';

const TOP_LEVEL_FLAGS = ['--help', '--version'];

/**
 * Why `id` (oclif joins the words the user typed with ':') is not a command, with the likely
 * command meant: "analyse" is not an imgscope command; did you mean "analyze"?
 */
export function unknownCommandMessage(id: string, config: Interfaces.Config): string {
  if (id.startsWith('-')) {
    const suggestion = closestName(id, TOP_LEVEL_FLAGS);
    return `unknown flag ${id}${suggestion === undefined ? '' : `; did you mean ${suggestion}?`} (see imgscope --help)`;
  }
  const hidden = new Set(config.commands.filter((c) => c.hidden).map((c) => c.id));
  const candidates = [...config.commandIDs, ...config.commands.flatMap((c) => c.aliases)].filter(
    (c) => !hidden.has(c),
  );
  // "analyse x.tar" arrives as "analyse:x.tar": the command is some leading part of it.
  const words = id.split(':');
  let typed = words[0] ?? id;
  let suggestion: string | undefined;
  for (let count = 1; count <= words.length && suggestion === undefined; count++) {
    const prefix = words.slice(0, count).join(':');
    suggestion = closestName(prefix, candidates);
    if (suggestion !== undefined) typed = prefix;
  }
  const shown = (name: string): string => JSON.stringify(name.replaceAll(':', ' '));
  return suggestion === undefined
    ? `${shown(typed)} is not an imgscope command (see imgscope help for the commands)`
    : `${shown(typed)} is not an imgscope command; did you mean ${shown(suggestion)}? (see imgscope help)`;
}
