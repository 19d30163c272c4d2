import { type Analysis, type Instruction, dockerfileLine } from '../../model/index.js';
import { buildFinding, bytesText } from '../finding-builder.js';
import { layerInstruction } from '../layer-instruction.js';
import { selection, timelineOf, type TrackedEntry } from '../layer-timeline.js';
import { WORTH_TEXT, type Rule, type RuleFinding, type RuleOptions } from '../rule.js';
import { commandWords, parseShell, programName } from '../shell-command.js';

const TAR_ARCHIVE = /\.(?:tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|tzst)$/;
const OTHER_ARCHIVE = /\.(?:zip|jar|war|7z)$/;
/** Either: one test of every stored file's path instead of two. */
const ANY_ARCHIVE = new RegExp(`(?:${TAR_ARCHIVE.source})|(?:${OTHER_ARCHIVE.source})`);
/** What every archive's path holds: the start of one of the extensions above. */
const ARCHIVE_EXTENSION = /\.(?:tar|tgz|tbz|txz|tzst|zip|jar|war|7z)/;
const ARCHIVES = selection((entry) => entry.type === 'file' && ANY_ARCHIVE.test(entry.path), {
  paths: ARCHIVE_EXTENSION,
});

/**
 * hadolint DL3010 ("Use ADD for extracting archives into an image") is the Dockerfile-side view:
 * an archive that a COPY/ADD stores and a later RUN extracts ships twice, packed and unpacked.
 */
export const archiveExtractedLater: Rule = {
  id: 'archive-extracted-later',
  severity: 'warning',
  title: 'Archive copied in and extracted by a later step',
  description: `An archive (.tar*, .tgz, .zip, .jar...) added by COPY/ADD and extracted by a later RUN that names it: the archive stays in its layer next to the extracted files. ${WORTH_TEXT}`,
  bySize: true,
  related: ['hadolint DL3010'],
  detect(analysis: Analysis, options: RuleOptions): RuleFinding[] {
    const findings: RuleFinding[] = [];
    for (const tracked of timelineOf(analysis).selected(ARCHIVES)) {
      const path = tracked.path;
      const added = layerInstruction(analysis, tracked.layer);
      if (added.keyword !== 'COPY' && added.keyword !== 'ADD') continue;
      const extract = findExtraction(analysis, tracked);
      if (extract === null) continue;
      const name = path.slice(path.lastIndexOf('/') + 1);
      const still =
        tracked.fate.kind === 'visible'
          ? 'it is still in the final image'
          : `layer ${tracked.fate.by} removed it, but it is still stored in layer ${tracked.layer}`;
      const isTar = TAR_ARCHIVE.test(path);
      findings.push(
        buildFinding(
          this,
          analysis,
          {
            layerIndex: tracked.layer,
            message: `${path} (${bytesText(tracked.size)}) is added by layer ${tracked.layer} and extracted by layer ${extract.layer}; ${still}.`,
            claims: [tracked.claim()],
            ...(isTar && extract.directory !== null
              ? { edit: { kind: 'text', layers: [tracked.layer, extract.layer] } }
              : {}),
            advice: {
              text: isTar
                ? 'Let ADD extract the archive (a local tar is unpacked in one layer and not kept), extract it before the build, or download, extract and delete it in one RUN.'
                : 'Extract the archive before the build and COPY the result, or download, extract and delete it in one RUN.',
              ...(isTar && extract.directory !== null
                ? {
                    dockerfile: {
                      before: `${dockerfileLine(added)}\n${dockerfileLine(extract.instruction)}`,
                      after: `ADD ${name} ${extract.directory.replace(/\/?$/, '/')}`,
                    },
                  }
                : {}),
            },
          },
          options.maxPaths,
        ),
      );
    }
    return findings;
  },
};

interface Extraction {
  layer: number;
  instruction: Instruction;
  /** Where it extracts to (`tar -C DIR`, `unzip -d DIR`), where the command says. */
  directory: string | null;
}

/** The first later RUN that runs an extractor on this archive (by path or file name). */
function findExtraction(analysis: Analysis, archive: TrackedEntry): Extraction | null {
  const path = archive.entry.path;
  const name = path.slice(path.lastIndexOf('/') + 1);
  for (let layer = archive.layer + 1; layer < analysis.layers.length; layer++) {
    const instruction = layerInstruction(analysis, layer);
    if (instruction.keyword !== 'RUN') continue;
    for (const command of parseShell(instruction.args)) {
      const words = commandWords(command).map((word) => word.text);
      const program = programName(command);
      const names = words
        .slice(1)
        .some((word) => word === path || word === name || word.endsWith(`/${name}`));
      if (!names || !isExtractor(program, words)) continue;
      return { layer, instruction, directory: targetDirectory(program, words) };
    }
  }
  return null;
}

function isExtractor(program: string, words: string[]): boolean {
  if (program === 'tar' || program === 'bsdtar') {
    return words
      .slice(1)
      .some((word) => word === '--extract' || word === '--get' || /^-?[a-zA-Z]*x/.test(word));
  }
  if (program === 'unzip' || program === 'gunzip' || program === '7z' || program === 'bunzip2') return true;
  return program === 'jar' && /^-?x/.test(words[1] ?? '');
}

function targetDirectory(program: string, words: string[]): string | null {
  const flag = program === 'unzip' ? '-d' : '-C';
  const at = words.indexOf(flag);
  if (at >= 0) return words[at + 1] ?? null;
  const long = words.find((word) => word.startsWith('--directory='));
  return long === undefined ? null : long.slice('--directory='.length);
}
