/** Download events for a progress display; library code only reports, commands render. */
export interface DownloadProgress {
  /** The blobs the image has, announced once it is resolved (nothing is read yet). */
  blobsPlanned(blobs: { digest: string; size: number }[]): void;
  /** A blob is about to be read; `cached` when it comes from the blob cache. */
  blobStarted(digest: string, size: number, cached: boolean): void;
  blobBytes(digest: string, bytes: number): void;
  blobFinished(digest: string): void;
}
