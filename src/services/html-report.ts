import { readFile } from 'node:fs/promises';
import { entryChangeCodes, layerFiles } from '../analysis/index.js';
import type { Analysis, FindingsReport, GateResult, ImageDiff, LayerFile } from '../model/index.js';
import { analysisPageData, diffPageData, renderHtmlReport, type WebBundle } from '../render/index.js';
import { writeReport } from './gate-reports.js';

/** The built browser bundle: dist/web beside dist/services (and the same path from src/services under tsx). */
const BUNDLE_DIR = new URL('../../dist/web/', import.meta.url);

let bundle: Promise<WebBundle> | undefined;

async function webBundle(): Promise<WebBundle> {
  bundle ??= Promise.all([
    readFile(new URL('report.js', BUNDLE_DIR), 'utf8'),
    readFile(new URL('report.css', BUNDLE_DIR), 'utf8'),
  ]).then(
    ([script, css]) => ({ script, css }),
    (cause: unknown) => {
      throw new Error(
        `the HTML report's browser bundle is missing (run npm run build): ${(cause as Error).message}`,
        {
          cause,
        },
      );
    },
  );
  return bundle;
}

/** Writes the analyze page for an analysis (with its gate, under --ci). */
export async function writeAnalysisHtml(
  file: string,
  analysis: Analysis,
  findings: FindingsReport,
  gate: GateResult | null,
): Promise<void> {
  const data = analysisPageData({ analysis, findings, gate, changeCodes: entryChangeCodes(analysis) });
  await writeReport(file, renderHtmlReport(data, await webBundle()));
}

/** Writes the diff page. */
export async function writeDiffHtml(
  file: string,
  before: Analysis,
  after: Analysis,
  diff: ImageDiff,
): Promise<void> {
  await writeReport(file, renderHtmlReport(diffPageData(before, after, diff), await webBundle()));
}

/** Each layer's entries with what they changed, for `analyze --layer-files`. */
export function layerFileLists(analysis: Analysis): LayerFile[][] {
  const codes = entryChangeCodes(analysis);
  return analysis.contents.map((_, index) => [
    ...layerFiles(analysis, index, codes[index] ?? new Uint8Array(0)),
  ]);
}
