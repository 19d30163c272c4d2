/** What oclif.manifest.json says of a command that decides how argv names it. */
export interface ManifestCommand {
  strict?: boolean;
  args?: Record<string, unknown>;
}

/**
 * oclif.manifest.json as launch.ts reads it: what decides which command argv names, and the
 * whole manifest handed on to the bundle's oclif (src/cli/run-own-command.ts).
 */
export interface RootManifest {
  commands: Record<string, ManifestCommand>;
  version: string;
}

/** One of imgscope's own commands named by argv, and the arguments that follow its name. */
export interface OwnCommandRun {
  /** oclif's id: "analyze", "cache:list". */
  id: string;
  argv: string[];
}

/**
 * Which of `commands` (the root plugin's manifest) argv runs, found as oclif's run finds it
 * (topics separated by spaces: "cache list", "audit merge"); null for what oclif's run answers
 * otherwise: no arguments, help (`help`, --help or -h before `--`), --version or another option
 * first, and a name that is none of ours (another plugin's command, a topic, a typo).
 */
export function ownCommandOf(
  commands: Readonly<Record<string, ManifestCommand>>,
  argv: readonly string[],
): OwnCommandRun | null {
  const options = argv.indexOf('--');
  const beforeOptions = options < 0 ? argv : argv.slice(0, options);
  if (beforeOptions.some((arg) => arg === '--help' || arg === '-h')) return null;
  const [first] = argv;
  if (first === undefined || first === 'help' || first.startsWith('-')) return null;
  const id = first.includes(':') || argv.length === 1 ? first : spacedId(commands, argv) || first;
  if (!Object.hasOwn(commands, id)) return null;
  return { id, argv: argv.slice(first.includes(':') ? 1 : id.split(':').length) };
}

/** oclif's collation of "topic command" words into an id (collateSpacedCmdIDFromArgs). */
function spacedId(commands: Readonly<Record<string, ManifestCommand>>, argv: readonly string[]): string {
  const usable = new Set<string>();
  for (const id of Object.keys(commands)) {
    const parts = id.split(':');
    for (let n = 1; n <= parts.length; n++) usable.add(parts.slice(0, n).join(':'));
  }
  const words: string[] = [];
  const idWith = (word?: string): string => (word ? [...words, word] : words).filter(Boolean).join(':');
  // A command with positional arguments ends the id: what follows it is its argument.
  const takesArguments = (): boolean => {
    const command = Object.hasOwn(commands, idWith()) ? commands[idWith()] : undefined;
    return command !== undefined && (command.strict === false || Object.keys(command.args ?? {}).length > 0);
  };
  for (const arg of argv) {
    if (usable.has(idWith(arg))) words.push(arg);
    else if (arg.includes('=') || arg.startsWith('-') || takesArguments()) break;
    else words.push(arg);
  }
  return idWith();
}
