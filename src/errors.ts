/**
 * The error hierarchy (docs/architecture.md, "Errors and exit codes"). Library code throws these; commands map them to
 * exit codes and print one line. `code` is stable for scripts; `hint` says what to do.
 */
export type ErrorCode =
  | 'USAGE'
  | 'INPUT_NOT_FOUND'
  | 'INPUT_FORMAT'
  | 'DIGEST_MISMATCH'
  | 'PLATFORM_NOT_FOUND'
  | 'UNSUPPORTED'
  | 'REGISTRY'
  | 'AUTH'
  | 'NETWORK'
  | 'CONFIG';

export const EXIT_CODES = {
  ok: 0,
  gateFailed: 1,
  badInput: 2,
  registry: 3,
  bug: 70,
} as const;

export interface ErrorOptions {
  hint?: string;
  cause?: unknown;
}

export class ImgscopeError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly exitCode: number = EXIT_CODES.badInput;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
  }
}

/** Wrong flags or arguments. */
export class UsageError extends ImgscopeError {
  constructor(message: string, options?: ErrorOptions) {
    super('USAGE', message, options);
  }
}

/** The input exists but is not what it should be (not an image, corrupt, truncated...). */
export class InputFormatError extends ImgscopeError {
  constructor(message: string, options?: ErrorOptions) {
    super('INPUT_FORMAT', message, options);
  }
}

export class InputNotFoundError extends ImgscopeError {
  constructor(message: string, options?: ErrorOptions) {
    super('INPUT_NOT_FOUND', message, options);
  }
}

/** Bytes that do not match the digest that names them. */
export class DigestMismatchError extends ImgscopeError {
  constructor(what: string, expected: string, actual: string, options?: ErrorOptions) {
    super('DIGEST_MISMATCH', `${what}: digest mismatch: expected ${expected}, got ${actual}`, options);
  }
}

export class PlatformNotFoundError extends ImgscopeError {
  constructor(message: string, options?: ErrorOptions) {
    super('PLATFORM_NOT_FOUND', message, options);
  }
}

/** Input imgscope understands but cannot read where it runs (zstd layers under `node --jitless`). */
export class UnsupportedError extends ImgscopeError {
  constructor(message: string, options?: ErrorOptions) {
    super('UNSUPPORTED', message, options);
  }
}

/** Registry answered with an error (not found, denied, schema 1...). */
export class RegistryError extends ImgscopeError {
  override readonly exitCode: number = EXIT_CODES.registry;
  constructor(message: string, options?: ErrorOptions) {
    super('REGISTRY', message, options);
  }
}

export class AuthError extends ImgscopeError {
  override readonly exitCode: number = EXIT_CODES.registry;
  constructor(message: string, options?: ErrorOptions) {
    super('AUTH', message, options);
  }
}

export class NetworkError extends ImgscopeError {
  override readonly exitCode: number = EXIT_CODES.registry;
  constructor(message: string, options?: ErrorOptions) {
    super('NETWORK', message, options);
  }
}

/** An invalid configuration file or value. */
export class ConfigError extends ImgscopeError {
  constructor(message: string, options?: ErrorOptions) {
    super('CONFIG', message, options);
  }
}
