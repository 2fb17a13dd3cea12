/**
 * Stable machine-readable codes carried by every {@link CodecError}, the store's included: the one list
 * of everything `@secondrow/codec` and `@secondrow/codec/dynamodb` throw or report.
 *
 * Codec (pure, never retryable: the same input fails again):
 * - `INVALID_SAMPLE`, `OUT_OF_RANGE`: a sample is malformed or outside the range (`InvalidSampleError`).
 * - `INVALID_OPTION`: an option or batch field is not supported (`InvalidOptionError`).
 * - `DECODE_FAILED`, `UNKNOWN_SCHEMA`: bytes cannot be decoded (`DecodeError`).
 * - `WINDOW_MISMATCH`: rows of different windows were merged (`WindowMismatchError`).
 * - `INVALID_ITEM`, `ROW_TOO_LARGE`: a DynamoDB item is not a row, or a row does not fit one (`ItemError`).
 *
 * Store (`StoreError` of `@secondrow/codec/dynamodb`; its `retryable` says whether trying later can help):
 * - `THROTTLED` (retryable): DynamoDB kept throttling (ProvisionedThroughputExceeded, Throttling,
 *   RequestLimitExceeded, ...) through the store's retries.
 * - `UNAVAILABLE` (retryable): 5xx (InternalServerError, ServiceUnavailable), connection resets and socket
 *   or per-attempt timeouts, through the store's retries.
 * - `DEADLINE_EXCEEDED` (retryable): the caller's deadline passed before the row was written.
 * - `CONFLICT_RETRIES_EXHAUSTED` (retryable): concurrent writers changed the row on every attempt.
 * - `INCOMPATIBLE_ITEM` (permanent): the row cannot be stored as an item (too large), or the stored item
 *   cannot be decoded or merged with it (another window length or resolution, or not a secondrow item).
 * - `DYNAMODB_ERROR`: any other error of DynamoDB or the SDK, kept in `cause`. Permanent for a
 *   ValidationException (the request can never succeed); retryable otherwise, e.g. ResourceNotFound or
 *   AccessDenied, a misconfiguration an operator fixes, after which the data must still be written.
 */
export type CodecErrorCode =
  | 'INVALID_SAMPLE'
  | 'OUT_OF_RANGE'
  | 'INVALID_OPTION'
  | 'DECODE_FAILED'
  | 'UNKNOWN_SCHEMA'
  | 'WINDOW_MISMATCH'
  | 'INVALID_ITEM'
  | 'ROW_TOO_LARGE'
  | 'THROTTLED'
  | 'UNAVAILABLE'
  | 'DEADLINE_EXCEEDED'
  | 'CONFLICT_RETRIES_EXHAUSTED'
  | 'INCOMPATIBLE_ITEM'
  | 'DYNAMODB_ERROR';

/**
 * Base class of every error the codec throws. Check `code`, not the message:
 * codes are stable across releases, messages are for people.
 */
export class CodecError extends Error {
  /** Stable code naming the kind of failure. */
  readonly code: CodecErrorCode;

  constructor(code: CodecErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CodecError';
    this.code = code;
  }
}

/**
 * A sample is not a finite reading at an integer, non-negative epoch-ms time
 * (`INVALID_SAMPLE`), or a value lies outside the configured range
 * (`OUT_OF_RANGE`). `index` and `field` name the offending sample.
 */
export class InvalidSampleError extends CodecError {
  /** Index of the offending sample in the input array. */
  readonly index: number;
  /** The field that is wrong: `t`, `x`, `y`, `z`, or `sample` when the value is not an object. */
  readonly field: 't' | 'x' | 'y' | 'z' | 'sample';

  constructor(
    code: 'INVALID_SAMPLE' | 'OUT_OF_RANGE',
    index: number,
    field: InvalidSampleError['field'],
    message: string,
  ) {
    super(code, message);
    this.name = 'InvalidSampleError';
    this.index = index;
    this.field = field;
  }
}

/** An option passed to the codec is not one it supports (`INVALID_OPTION`). */
export class InvalidOptionError extends CodecError {
  /** Name of the offending option. */
  readonly option: string;

  constructor(option: string, message: string, options?: { cause?: unknown }) {
    super('INVALID_OPTION', message, options);
    this.name = 'InvalidOptionError';
    this.option = option;
  }
}

/**
 * Bytes could not be decoded: truncated, trailing, corrupted or foreign
 * (`DECODE_FAILED`), or written with a schema this reader does not know
 * (`UNKNOWN_SCHEMA`). The underlying parser error, if any, is in `cause`.
 */
export class DecodeError extends CodecError {
  constructor(code: 'DECODE_FAILED' | 'UNKNOWN_SCHEMA', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'DecodeError';
  }
}

/** Two rows that do not cover the same window (or resolution) were merged (`WINDOW_MISMATCH`). */
export class WindowMismatchError extends CodecError {
  constructor(message: string) {
    super('WINDOW_MISMATCH', message);
    this.name = 'WindowMismatchError';
  }
}

/** A DynamoDB item is not a secondrow row item (`INVALID_ITEM`), or a row cannot be stored as one item (`ROW_TOO_LARGE`). */
export class ItemError extends CodecError {
  constructor(code: 'INVALID_ITEM' | 'ROW_TOO_LARGE', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'ItemError';
  }
}

/**
 * True when `error` is a {@link CodecError}, the store's `StoreError` included. Checks the name and code
 * rather than `instanceof`, so it holds across duplicate installs of the package.
 */
export function isCodecError(error: unknown): error is CodecError {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === 'string' &&
    [
      'CodecError',
      'InvalidSampleError',
      'InvalidOptionError',
      'DecodeError',
      'WindowMismatchError',
      'ItemError',
      'StoreError',
    ].includes(error.name)
  );
}
