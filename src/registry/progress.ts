/** Download events for a progress display; library code only reports, commands render. */
export interface DownloadProgress {
  /** A blob is about to be read; `cached` when it comes from the blob cache. */
  blobStarted(digest: string, size: number, cached: boolean): void;
  blobBytes(digest: string, bytes: number): void;
  blobFinished(digest: string): void;
}
