import { isCodecError } from '@secondrow/codec';
import { isStoreError } from '@secondrow/codec/dynamodb';

/**
 * True when a store error may succeed if the same row is written again later: throttling, a server
 * error, a reset connection, the deadline, lost races. `INCOMPATIBLE_ITEM` (the row can never be
 * stored as an item, or the stored item is not one it can merge with) is permanent.
 *
 * The store's own `retryable` flag decides when the error carries one; the code-based rule covers stores
 * that do not set it yet.
 *
 * @param error - A `StoreError` (from a `FailedRow`) or anything a store threw.
 */
export function isRetryableStoreError(error: unknown): boolean {
  const flag = (error as { retryable?: unknown } | undefined)?.retryable;
  if (typeof flag === 'boolean') return flag;
  return !(isStoreError(error) && error.code === 'INCOMPATIBLE_ITEM');
}

/**
 * How a failure to store samples is handled:
 * - `permanent`: writing them again can never succeed (an incompatible stored item, a codec error such
 *   as a row that cannot be encoded, invalid data): the samples go to the quarantine and their records are
 *   acknowledged once they are kept there;
 * - `transient`: a later attempt may succeed (throttling, 5xx, resets, the deadline, write conflicts,
 *   anything unknown): the records are returned in `batchItemFailures` and Lambda retries them.
 *
 * @param error - What the store reported for a row, or what a store call threw.
 */
export function failureKind(error: unknown): 'permanent' | 'transient' {
  if (isStoreError(error)) return isRetryableStoreError(error) ? 'transient' : 'permanent';
  // A codec error is about the data (an invalid sample, a row that cannot be encoded): it fails the same way
  // every time. Everything else unknown is retried rather than dropped.
  if (isCodecError(error)) return 'permanent';
  return 'transient';
}
