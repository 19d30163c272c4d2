import type { DownloadProgress } from '../registry/index.js';
import { formatBytes } from '../render/format.js';

/**
 * One self-rewriting stderr line: layers done, bytes received of bytes to fetch. Only created
 * for a TTY outside JSON mode; redrawn at most every 100 ms and cleared when done.
 */
export class TerminalDownloadProgress implements DownloadProgress {
  private readonly sizes = new Map<string, number>();
  private readonly finished = new Set<string>();
  private received = 0;
  private cached = 0;
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {}

  blobsPlanned(blobs: { digest: string; size: number }[]): void {
    for (const blob of blobs) this.sizes.set(blob.digest, blob.size);
  }

  blobStarted(digest: string, size: number, cached: boolean): void {
    this.sizes.set(digest, size);
    if (cached) this.cached += 1;
    this.draw(false);
  }

  blobBytes(_digest: string, bytes: number): void {
    this.received += bytes;
    this.draw(false);
  }

  blobFinished(digest: string): void {
    this.finished.add(digest);
    this.draw(true);
  }

  private draw(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    let total = 0;
    for (const size of this.sizes.values()) total += size;
    const cached = this.cached > 0 ? `, ${this.cached} from cache` : '';
    const line = `Reading layers: ${this.finished.size}/${this.sizes.size} done${cached}, ${formatBytes(this.received)} downloaded of ${formatBytes(total)}`;
    const width = Math.max(20, (this.out.columns || 80) - 1);
    this.out.write(`\r${line.slice(0, width)}\x1b[K`);
    this.drawn = true;
  }

  /** Removes the line so the report starts on a clean screen. */
  clear(): void {
    if (this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }
}
