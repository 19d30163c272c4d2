import { diffAnalyses } from '../diff/index.js';
import { LayerReader } from '../layers/index.js';
import { UsageError } from '../errors.js';
import { evaluateGrowth, type GrowthLimit } from '../gate/index.js';
import type { Analysis, GateResult, ImageDiff, Platform } from '../model/index.js';
import {
  openImageSource,
  RegistrySource,
  type ImageSource,
  type OpenSourceOptions,
} from '../sources/index.js';
import { analyzeResolved, DEFAULT_LAYER_CONCURRENCY, type LayerCache } from './analyze-image.js';
import { findImageProblems } from './find-image-problems.js';

export interface DiffImagesOptions {
  platform?: Platform;
  /** Registry/daemon options (credentials, TLS, cache, progress). */
  source?: OpenSourceOptions;
  concurrency?: number;
  depth?: number;
  /** How many file changes to keep (the largest); all when absent. */
  keepChanges?: number;
  /** Gate: fail when the after image grew by more than this ("10MB" or "5%", as configured). */
  maxGrowth?: { limit: GrowthLimit; configured: string };
}

export interface DiffResult {
  before: Analysis;
  after: Analysis;
  diff: ImageDiff;
  /** The --max-growth gate, when one was asked for. */
  gate: GateResult | null;
}

/** Analyzes both images, reading the layers they share once, and compares them. */
export async function diffImages(
  beforeRef: string,
  afterRef: string,
  options: DiffImagesOptions = {},
): Promise<DiffResult> {
  const sources: ImageSource[] = [];
  // One set of worker threads for both images.
  const reader = new LayerReader({ concurrency: options.concurrency ?? DEFAULT_LAYER_CONCURRENCY });
  try {
    // Both opened (nothing sent yet) before either is resolved, so credentials are checked first.
    for (const reference of [beforeRef, afterRef])
      sources.push(await openImageSource(reference, options.source));
    refuseCredentialsForTwoRegistries(sources, options.source);
    const [beforeSource, afterSource] = sources as [ImageSource, ImageSource];
    const resolve = (source: ImageSource) =>
      source.resolve(options.platform === undefined ? {} : { platform: options.platform });
    const cache: LayerCache = new Map();
    const concurrency = options.concurrency ?? DEFAULT_LAYER_CONCURRENCY;
    // Findings redact history before anything compares or prints it: no secret value in a diff either.
    // Every body hashed as it is read: the diff compares the files the two images share.
    const before = findImageProblems(
      await analyzeResolved(await resolve(beforeSource), concurrency, cache, reader, false, true),
    );
    const after = findImageProblems(
      await analyzeResolved(await resolve(afterSource), concurrency, cache, reader, false, true),
    );
    const growth = options.maxGrowth;
    return {
      before: before.analysis,
      after: after.analysis,
      diff: diffAnalyses(
        { analysis: before.analysis, findings: before.findings },
        { analysis: after.analysis, findings: after.findings },
        {
          depth: options.depth ?? 2,
          ...(options.keepChanges === undefined ? {} : { keepChanges: options.keepChanges }),
        },
      ),
      gate:
        growth === undefined
          ? null
          : evaluateGrowth(
              before.analysis.sizeBytes,
              after.analysis.sizeBytes,
              growth.limit,
              growth.configured,
            ),
    };
  } finally {
    await Promise.all([...sources.map((source) => source.close()), reader.close()]);
  }
}

/** --username/--password-stdin name one account: never send it to a second registry. */
function refuseCredentialsForTwoRegistries(
  sources: ImageSource[],
  options: OpenSourceOptions | undefined,
): void {
  if (options?.registry?.credentials === undefined) return;
  const registries = new Set(
    sources.filter((s): s is RegistrySource => s instanceof RegistrySource).map((s) => s.reference.registry),
  );
  if (registries.size > 1) {
    throw new UsageError(
      `--username/--password-stdin would go to two registries (${[...registries].join(', ')})`,
      { hint: 'log in to each registry (docker login / podman login) instead of passing credentials' },
    );
  }
}
