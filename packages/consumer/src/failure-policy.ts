import { isCodecError } from '@secondrow/codec';
import { isStoreError } from '@secondrow/codec/dynamodb';

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
  if (isStoreError(error)) return error.retryable ? 'transient' : 'permanent';
  // A codec error is about the data (an invalid sample, a row that cannot be encoded): it fails the same way
  // every time. Everything else unknown is retried rather than dropped.
  if (isCodecError(error)) return 'permanent';
  return 'transient';
}
