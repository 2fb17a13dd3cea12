import { CodecError, type CodecErrorCode } from '../errors.js';

/** The codes a {@link StoreError} carries (a subset of `CodecErrorCode`, documented there). */
export type StoreErrorCode = Extract<
  CodecErrorCode,
  | 'THROTTLED'
  | 'UNAVAILABLE'
  | 'DEADLINE_EXCEEDED'
  | 'CONFLICT_RETRIES_EXHAUSTED'
  | 'INCOMPATIBLE_ITEM'
  | 'DYNAMODB_ERROR'
>;

const STORE_ERROR_CODES: readonly string[] = [
  'THROTTLED',
  'UNAVAILABLE',
  'DEADLINE_EXCEEDED',
  'CONFLICT_RETRIES_EXHAUSTED',
  'INCOMPATIBLE_ITEM',
  'DYNAMODB_ERROR',
] satisfies readonly StoreErrorCode[];

/**
 * Error of the DynamoDB row store (`@secondrow/codec/dynamodb`), a {@link CodecError}. Check `code` and
 * `retryable`, not the message; the underlying SDK or codec error, if any, is in `cause`.
 */
export class StoreError extends CodecError {
  declare readonly code: StoreErrorCode;
  /**
   * True when the same write may succeed later, so its samples must be kept and retried (throttling,
   * 5xx, connection resets and timeouts, the caller's deadline, exhausted conflict retries, a missing
   * table or denied access). False when the row can never be written as it is (`INCOMPATIBLE_ITEM`,
   * a ValidationException): retrying is pointless, the samples belong in a dead-letter queue.
   */
  readonly retryable: boolean;

  /**
   * @param retryable - defaults to true for every code but `INCOMPATIBLE_ITEM`.
   */
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown; retryable?: boolean }) {
    super(code, message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StoreError';
    this.retryable = options?.retryable ?? code !== 'INCOMPATIBLE_ITEM';
  }
}

/**
 * True when `error` is a {@link StoreError}. Checks the name and code rather than `instanceof`, so it holds
 * across duplicate installs of the package.
 */
export function isStoreError(error: unknown): error is StoreError {
  return (
    error instanceof Error &&
    error.name === 'StoreError' &&
    STORE_ERROR_CODES.includes((error as { code?: unknown }).code as string) &&
    typeof (error as { retryable?: unknown }).retryable === 'boolean'
  );
}
