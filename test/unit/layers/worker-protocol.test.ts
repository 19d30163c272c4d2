import { describe, expect, it } from 'vitest';
import {
  AuthError,
  ConfigError,
  DigestMismatchError,
  EXIT_CODES,
  ImgscopeError,
  InputFormatError,
  InputNotFoundError,
  NetworkError,
  PlatformNotFoundError,
  RegistryError,
  UnsupportedError,
  UsageError,
} from '../../../src/errors.js';
import { reviveError, serializeError } from '../../../src/layers/worker-protocol.js';

/** A worker's error as the main thread gets it: through plain data, as postMessage carries it. */
const acrossThreads = (err: unknown): Error => reviveError(structuredClone(serializeError(err)));

describe('errors from a layer worker', () => {
  it.each([
    [new AuthError('denied'), EXIT_CODES.registry],
    [new ConfigError('bad key'), EXIT_CODES.badInput],
    [new InputFormatError('layer 2: corrupt gzip data'), EXIT_CODES.badInput],
    [new InputNotFoundError('gone'), EXIT_CODES.badInput],
    [new NetworkError('reset'), EXIT_CODES.registry],
    [new PlatformNotFoundError('no arm64'), EXIT_CODES.badInput],
    [new RegistryError('404'), EXIT_CODES.registry],
    [new UnsupportedError('layer 0: zstd data needs WebAssembly'), EXIT_CODES.badInput],
    [new UsageError('bad flag'), EXIT_CODES.badInput],
  ])('keep their class, message and exit code: %s', (err, exitCode) => {
    const revived = acrossThreads(err);
    expect(revived).toBeInstanceOf(err.constructor);
    expect(revived.message).toBe(err.message);
    expect((revived as ImgscopeError).code).toBe(err.code);
    expect((revived as ImgscopeError).exitCode).toBe(exitCode);
  });

  it('keep the hint that says what to do', () => {
    const revived = acrossThreads(new UnsupportedError('layer 0: zstd', { hint: 'run without --jitless' }));
    expect((revived as ImgscopeError).hint).toBe('run without --jitless');
  });

  it('keep a digest mismatch whole', () => {
    const err = new DigestMismatchError('layer 1 blob', 'sha256:aa', 'sha256:bb');
    const revived = acrossThreads(err);
    expect(revived).toBeInstanceOf(DigestMismatchError);
    expect(revived.message).toBe('layer 1 blob: digest mismatch: expected sha256:aa, got sha256:bb');
  });

  it("keep Node's code on an error of its own, which the reader's messages use", () => {
    const zlibError = Object.assign(new Error('incorrect data check'), { code: 'Z_DATA_ERROR' });
    const revived = acrossThreads(zlibError);
    expect(revived).not.toBeInstanceOf(ImgscopeError);
    expect((revived as Error & { code?: string }).code).toBe('Z_DATA_ERROR');
    expect(revived.message).toBe('incorrect data check');
  });
});
