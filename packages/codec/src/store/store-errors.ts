/**
 * Stable machine-readable codes carried by every {@link StoreError}.
 *
 * - `THROTTLED`: DynamoDB kept throttling (ProvisionedThroughputExceeded, Throttling, RequestLimitExceeded)
 *   after the store's own retries.
 * - `DEADLINE_EXCEEDED`: the caller's deadline passed before the row could be written.
 * - `CONFLICT_RETRIES_EXHAUSTED`: concurrent writers changed the row on every one of `maxAttempts` tries.
 * - `INCOMPATIBLE_ITEM`: the row cannot be stored as an item (too large), or the stored item cannot be
 *   decoded or merged with it (another window length or resolution, or not a secondrow item).
 * - `DYNAMODB_ERROR`: any other error returned by DynamoDB or the SDK (kept in `cause`).
 */
export type StoreErrorCode =
  | 'THROTTLED'
  | 'DEADLINE_EXCEEDED'
  | 'CONFLICT_RETRIES_EXHAUSTED'
  | 'INCOMPATIBLE_ITEM'
  | 'DYNAMODB_ERROR';

/**
 * Base class of every error of the DynamoDB row store (`@secondrow/codec/dynamodb`). It is its own class,
 * not a `CodecError`, because the codec's error codes are a closed set. Check `code`, not the message;
 * the underlying SDK or codec error, if any, is in `cause`.
 */
export class StoreError extends Error {
  /** Stable code naming the kind of failure. */
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

const STORE_ERROR_CODES: readonly string[] = [
  'THROTTLED',
  'DEADLINE_EXCEEDED',
  'CONFLICT_RETRIES_EXHAUSTED',
  'INCOMPATIBLE_ITEM',
  'DYNAMODB_ERROR',
];

/**
 * True when `error` is a {@link StoreError}. Checks the name and code rather than `instanceof`, so it holds
 * across duplicate installs of the package.
 */
export function isStoreError(error: unknown): error is StoreError {
  return (
    error instanceof Error &&
    error.name === 'StoreError' &&
    STORE_ERROR_CODES.includes((error as { code?: unknown }).code as string)
  );
}
