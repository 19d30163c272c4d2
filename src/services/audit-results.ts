import { open, readdir, readFile, mkdir, truncate, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseRecordLines, recordLine, type Shard } from '../audit/index.js';
import { InputNotFoundError, UsageError } from '../errors.js';
import type { AuditRecord } from '../model/index.js';

/** Results files are `results.jsonl` (one process) or `results-shard-I-of-N.jsonl`. */
export function resultsFileName(shard: Shard | null): string {
  return shard === null ? 'results.jsonl' : `results-shard-${shard.index}-of-${shard.count}.jsonl`;
}

function isResultsFile(name: string): boolean {
  return /^results(?:-shard-\d+-of-\d+)?\.jsonl$/.test(name);
}

/**
 * Every record in the results files of `dirs`, in a fixed order (directories as given, files by
 * name, lines as written). A last line cut short by a killed writer is not a record; other lines
 * that are not records are reported through `onWarning` and skipped.
 */
export async function readResults(
  dirs: readonly string[],
  onWarning: (line: string) => void,
  options: { mustExist: boolean },
): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = (await readdir(dir)).filter(isResultsFile).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !options.mustExist) continue;
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new InputNotFoundError(`${dir}: no such directory`);
      }
      throw new UsageError(`cannot read the results directory ${dir}: ${(error as Error).message}`);
    }
    for (const name of names) {
      const file = path.join(dir, name);
      const parsed = parseRecordLines(await readFile(file, 'utf8'));
      for (const line of parsed.badLines) onWarning(`${file}:${line} is not an audit record; skipped`);
      records.push(...parsed.records);
    }
  }
  return records;
}

/**
 * Appends records to one results file, one line per write, in the order they finish. On open,
 * a last line a killed run left unfinished is cut off, so what follows starts on a line of its own.
 */
export class ResultsWriter {
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    readonly file: string,
    private readonly handle: Awaited<ReturnType<typeof open>>,
  ) {}

  static async open(dir: string, shard: Shard | null): Promise<ResultsWriter> {
    try {
      await mkdir(dir, { recursive: true });
    } catch (error) {
      throw new UsageError(`cannot create the results directory ${dir}: ${(error as Error).message}`);
    }
    const file = path.join(dir, resultsFileName(shard));
    const size = await stat(file).then(
      (info) => info.size,
      () => 0,
    );
    if (size > 0) {
      const text = await readFile(file, 'utf8');
      const complete = parseRecordLines(text).completeBytes;
      if (complete < Buffer.byteLength(text)) await truncate(file, complete);
    }
    return new ResultsWriter(file, await open(file, 'a'));
  }

  /** Resolves once the line is in the file; lines never interleave. */
  append(record: AuditRecord): Promise<void> {
    const line = Buffer.from(recordLine(record));
    const write = this.queue.then(async () => {
      let offset = 0;
      while (offset < line.length) offset += (await this.handle.write(line, offset)).bytesWritten;
    });
    this.queue = write.catch(() => undefined);
    return write;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.handle.close();
  }
}
