import {
  AuthError,
  ConfigError,
  DigestMismatchError,
  ImgscopeError,
  InputFormatError,
  InputNotFoundError,
  NetworkError,
  PlatformNotFoundError,
  RegistryError,
  UnsupportedError,
  UsageError,
} from '../errors.js';
import type { DiveWaste, DiveWasteInput } from '../analysis/dive-waste.js';
import type { RemoteBlob } from '../registry/index.js';
import type { ContentKey } from './content-key.js';
import type { FileState } from './file-state.js';
import type { LayerReadOptions } from './read-layer.js';

/** Where a layer's stored bytes lie in a local file, so a worker thread reads them itself. */
export interface FileRegion {
  path: string;
  offset: number;
  length: number;
}

/** A layer a worker is told to read, with the checks (label, digests) of `LayerReadOptions`. */
export interface ReadJob {
  kind: 'read';
  id: number;
  label: string;
  digest: string | null;
  size: number | null;
  diffId: string | null;
  sourceVerifies: boolean;
  /** The key of the content hashes (plain data: it crosses to the worker as it is). */
  contentKey: ContentKey;
  /** `LayerReadOptions.deferBodyHashes`. */
  deferBodyHashes: boolean;
  /** The bytes from a file, or (null) from `remote` or as `chunk` messages from the main thread. */
  region: FileRegion | null;
  /** A registry blob the worker downloads itself; null when the bytes come otherwise. */
  remote: RemoteBlob | null;
  /** Whether the worker reports the bytes it downloads (`received`), for a progress display. */
  reportBytes: boolean;
}

/** The options `readLayer` takes for a read job, wherever it runs (a worker, or the calling thread). */
export function readOptionsOf(job: ReadJob, signal: AbortSignal | undefined): LayerReadOptions {
  const options: LayerReadOptions = {
    label: job.label,
    digest: job.digest,
    size: job.size,
    diffId: job.diffId,
    sourceVerifies: job.sourceVerifies,
    contentKey: job.contentKey,
    deferBodyHashes: job.deferBodyHashes,
  };
  if (signal !== undefined) options.signal = signal;
  return options;
}

/**
 * Only the sha256 of a file region, answered by `digest`: a docker-archive's layer is hashed so
 * before a stored result of it is trusted.
 */
export interface DigestJob {
  kind: 'digest';
  id: number;
  label: string;
  region: FileRegion;
}

/**
 * dive's count of wasted bytes (`countDiveWaste`) once the layers are read: a worker idle by then
 * counts while the main thread merges the layers.
 */
export interface DiveWasteJob {
  kind: 'dive-waste';
  id: number;
  input: DiveWasteInput;
}

/**
 * The content hashes of bodies a read left unhashed (`deferBodyHashes`) in the plain layer at
 * `region`, once the merge is known to compare them: `bodies` holds each one's offset in the
 * layer's tar and its length. `before` is the file's state when it was read (deferred-bodies.ts).
 */
export interface BodyHashJob {
  kind: 'body-hashes';
  id: number;
  region: FileRegion;
  contentKey: ContentKey;
  before: FileState;
  bodies: [number, number][];
}

export type LayerJob = ReadJob | DigestJob | DiveWasteJob | BodyHashJob;

/** Main thread -> worker. */
export type ToWorker =
  | { kind: 'job'; job: LayerJob }
  | { kind: 'chunk'; id: number; bytes: Uint8Array }
  | { kind: 'end'; id: number }
  | { kind: 'source-error'; id: number; error: SerializedError }
  | { kind: 'abort'; id: number };

/**
 * Worker -> main thread. `consumed` acknowledges chunk bytes taken off the inbound queue;
 * `received` counts downloaded bytes; `refused` says the registry answered a remote download
 * with something other than the blob, which the main thread then fetches and explains itself.
 */
export type FromWorker =
  | { kind: 'done'; id: number; contents: ArrayBuffer }
  | { kind: 'digest'; id: number; digest: string }
  | { kind: 'dive-waste'; id: number; waste: DiveWaste }
  | { kind: 'body-hashes'; id: number; digests: Uint8Array }
  | { kind: 'failed'; id: number; error: SerializedError }
  | { kind: 'consumed'; id: number; bytes: number }
  | { kind: 'received'; id: number; bytes: number }
  | { kind: 'refused'; id: number };

/** An error as plain data: structured cloning keeps an Error's message but not its class. */
export interface SerializedError {
  name: string;
  message: string;
  hint?: string;
  /** Node's error code (`Z_DATA_ERROR`, `ECONNRESET`), which the layer reader's messages use. */
  code?: string;
  stack?: string;
}

export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const serialized: SerializedError = { name: err.name, message: err.message };
  if (err instanceof ImgscopeError && err.hint !== undefined) serialized.hint = err.hint;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') serialized.code = code;
  if (err.stack !== undefined) serialized.stack = err.stack;
  return serialized;
}

type ErrorClass = new (message: string, options?: { hint?: string }) => ImgscopeError;

const CLASSES: Record<string, ErrorClass> = {
  AuthError,
  ConfigError,
  InputFormatError,
  InputNotFoundError,
  NetworkError,
  PlatformNotFoundError,
  RegistryError,
  UnsupportedError,
  UsageError,
};

/** The error again, of its class where it was one of imgscope's (exit codes follow the class). */
export function reviveError(serialized: SerializedError): Error {
  const { name, message, hint } = serialized;
  const errorClass = CLASSES[name];
  let err: Error;
  if (name === 'DigestMismatchError') err = new DigestMismatchError('', '', '');
  else if (errorClass !== undefined) err = new errorClass(message, hint === undefined ? {} : { hint });
  else {
    err = new Error(message);
    err.name = name;
  }
  err.message = message;
  if (serialized.code !== undefined && !(err instanceof ImgscopeError)) {
    Object.assign(err, { code: serialized.code });
  }
  if (serialized.stack !== undefined) err.stack = serialized.stack;
  return err;
}
