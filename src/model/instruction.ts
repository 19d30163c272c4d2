/**
 * The Dockerfile instruction behind a history `created_by`, as far as history keeps it:
 *
 *   /bin/sh -c apt-get update                         classic builder RUN
 *   |2 A=1 B=2 /bin/sh -c make                        classic RUN with build args
 *   /bin/sh -c #(nop)  ENV A=1                        classic metadata step
 *   /bin/sh -c #(nop) COPY file:0e4c… in /app/        classic COPY (the source name is lost)
 *   RUN /bin/sh -c apt-get update # buildkit          BuildKit RUN
 *   RUN |1 TOKEN=x /bin/sh -c make # buildkit         BuildKit RUN with build args
 *   COPY requirements.txt . # buildkit, WORKDIR /app  BuildKit other steps
 */
export interface Instruction {
  /** RUN, COPY, ADD, ENV, USER... or '' when history does not say. */
  keyword: string;
  /** For RUN the shell command; otherwise the arguments (classic `X in Y` made `X Y`). */
  args: string;
  /** Names of the build args the step ran with (never their values). */
  buildArgNames: readonly string[];
}

const KEYWORDS = new Set([
  'RUN',
  'COPY',
  'ADD',
  'ENV',
  'ARG',
  'USER',
  'WORKDIR',
  'CMD',
  'ENTRYPOINT',
  'EXPOSE',
  'LABEL',
  'VOLUME',
  'HEALTHCHECK',
  'SHELL',
  'STOPSIGNAL',
  'ONBUILD',
  'MAINTAINER',
]);

/** `/bin/sh -c `, `/bin/bash -o pipefail -c `, `sh -c `: the shell a RUN ran in (set by SHELL). */
const SHELL_WRAPPER = /^(?:\S*\/)?(?:ba|da|z|k|a)?sh(?:\s+-[a-zA-Z]+(?:\s+[a-z]+)?)*?\s+-c\s+/;
/** `|2 A=1 B=2 ` before the shell: the build args of the step. */
const BUILD_ARGS = /^\|(\d+)\s+/;

export function parseCreatedBy(createdBy: string): Instruction {
  let instruction = parsed.get(createdBy);
  if (instruction === undefined) {
    if (parsed.size >= PARSED_KEPT) parsed.clear();
    const fresh = parseText(createdBy);
    Object.freeze(fresh.buildArgNames);
    instruction = Object.freeze(fresh);
    parsed.set(createdBy, instruction);
  }
  return instruction;
}

/**
 * The instructions parsed so far, by their text: several rules ask for the same history lines
 * (three times each in a run), and a parse is a handful of regular expressions. Frozen, since
 * every caller gets the same one.
 */
const parsed = new Map<string, Readonly<Instruction>>();
const PARSED_KEPT = 4096;

function parseText(createdBy: string): Instruction {
  let text = createdBy.trim().replace(/\s*# buildkit$/, '');
  let buildkitRun = false;
  if (text.startsWith('RUN ')) {
    buildkitRun = true;
    text = text.slice(4).trimStart();
  }
  const { rest, names } = stripBuildArgs(text);
  const wrapper = SHELL_WRAPPER.exec(rest);
  if (wrapper !== null) {
    const command = rest.slice(wrapper[0].length);
    const nop = /^#\(nop\)\s*/.exec(command);
    if (nop !== null && !buildkitRun) return metadataStep(command.slice(nop[0].length), names);
    return { keyword: 'RUN', args: command.trim(), buildArgNames: names };
  }
  if (buildkitRun) return { keyword: 'RUN', args: rest.trim(), buildArgNames: names };
  return metadataStep(rest, names);
}

function stripBuildArgs(text: string): { rest: string; names: string[] } {
  const match = BUILD_ARGS.exec(text);
  if (match === null) return { rest: text, names: [] };
  const afterCount = text.slice(match[0].length);
  const wrapperAt = afterCount.search(/(?:^|\s)(?:\S*\/)?(?:ba|da|z|k|a)?sh\s/);
  const assignments = wrapperAt < 0 ? afterCount : afterCount.slice(0, wrapperAt);
  const names = [...assignments.matchAll(/(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=/g)].map((m) => m[1] ?? '');
  return { rest: wrapperAt < 0 ? '' : afterCount.slice(wrapperAt).trimStart(), names };
}

function metadataStep(text: string, names: string[]): Instruction {
  const trimmed = text.trim();
  const space = trimmed.search(/\s/);
  const word = (space < 0 ? trimmed : trimmed.slice(0, space)).toUpperCase();
  if (!KEYWORDS.has(word)) return { keyword: '', args: trimmed, buildArgNames: names };
  let args = space < 0 ? '' : trimmed.slice(space).trim();
  // The classic builder writes `COPY file:<sha256> in /dest`; keep 12 hex digits of the hash.
  if (word === 'COPY' || word === 'ADD') {
    args = args.replace(/\b(file|dir|multi):([0-9a-f]{12})[0-9a-f]*/g, '$1:$2…').replace(/ in (?=\S+$)/, ' ');
  }
  // BuildKit records EXPOSE as Go prints the port set: `map[8080/tcp:{} 53/udp:{}]`; write it as
  // the Dockerfile did (tcp is the default protocol), as the classic builder does.
  if (word === 'EXPOSE') args = exposedPorts(args);
  return { keyword: word, args, buildArgNames: names };
}

function exposedPorts(args: string): string {
  const map = /^map\[(.*)\]$/.exec(args);
  const ports =
    map === null ? args.split(/\s+/) : [...(map[1] ?? '').matchAll(/(\S+?):\{\}/g)].map((m) => m[1] ?? '');
  return ports
    .filter(Boolean)
    .map((port) => port.replace(/\/tcp$/i, ''))
    .join(' ');
}

/** The instruction as a Dockerfile line; build-arg values are left out. */
export function dockerfileLine(instruction: Instruction): string {
  if (instruction.keyword === '') return instruction.args;
  return instruction.args === '' ? instruction.keyword : `${instruction.keyword} ${instruction.args}`;
}
