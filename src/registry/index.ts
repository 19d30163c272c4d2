export * from './blob-cache.js';
export * from './credentials.js';
export * from './progress.js';
export { redactCredentials } from './redact.js';
export * from './registry-client.js';
export { openRemoteBlob, type RemoteBlob, type RemoteDownload } from './remote-blob.js';
export type { RetryPolicy } from './retry.js';
export * from './client-pool.js';
