import type { Analysis, Finding, RuleSettings } from '../../src/model/index.js';
import { analyzeImage, findImageProblems, type ImageReport } from '../../src/services/index.js';
import { tempDir, writeOciLayout, type EntrySpec, type ImageSpec } from './image-builder.js';

/** Writes the spec as an OCI layout in a temp dir and reads it back like a user's image. */
export async function analysisOf(spec: ImageSpec): Promise<Analysis> {
  const dir = await tempDir('imgscope-generated-');
  await writeOciLayout(spec, dir);
  return analyzeImage(dir);
}

/** The spec's analysis (analysisOf), with the rules run on it. */
export async function reportFor(spec: ImageSpec, settings?: RuleSettings): Promise<ImageReport> {
  return findImageProblems(await analysisOf(spec), settings);
}

/** The findings of one rule. */
export function findingsOf(report: ImageReport, id: string): Finding[] {
  return report.findings.findings.filter((finding) => finding.id === id);
}

/** History text of a classic-builder RUN. */
export const run = (command: string): string => `/bin/sh -c ${command}`;

type FileSpec = Extract<EntrySpec, { type: 'file' }>;

export const file = (path: string, size: number, extra: Partial<FileSpec> = {}): FileSpec => ({
  type: 'file',
  path,
  size,
  ...extra,
});

export const whiteout = (path: string): EntrySpec => ({ type: 'whiteout', path });

/** A small base layer, as `ADD rootfs.tar /` makes it, followed by the base image's CMD. */
export const BASE = {
  layer: {
    createdBy: '/bin/sh -c #(nop) ADD file:0123456789abcdef0123456789abcdef in / ',
    entries: [file('bin/sh', 100)],
  },
  history: { after: 0, createdBy: '/bin/sh -c #(nop)  CMD ["sh"]' },
};
