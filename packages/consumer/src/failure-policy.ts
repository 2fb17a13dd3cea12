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

/** Registry failures that pass: throttling, 5xx and resets, the deadline, lost races. */
const PASSING_REGISTRY_CODES: ReadonlySet<string> = new Set([
  'THROTTLED',
  'UNAVAILABLE',
  'DEADLINE_EXCEEDED',
  'CONFLICT_RETRIES_EXHAUSTED',
]);

/**
 * Whether a device the registry could not note gets its records retried. The rows are stored either way;
 * what is at stake is the device's listed range, which would otherwise stay short of its data until the
 * device writes again (never, for its last batch):
 * - true for a failure that passes (`THROTTLED`, `UNAVAILABLE`, `DEADLINE_EXCEEDED`,
 *   `CONFLICT_RETRIES_EXHAUSTED`): the device's records are returned in `batchItemFailures`, Lambda delivers
 *   them again, their rows converge as they are (conditional puts) and the note is made again;
 * - false for anything else (a missing table or denied access, an incompatible registry item, an unknown
 *   error): retrying cannot help until an operator acts, and holding the shard for bookkeeping would delay
 *   every later record; the failure is logged and counted.
 *
 * @param error - what the registry reported for the device.
 */
export function retriesRegistryNote(error: unknown): boolean {
  return isStoreError(error) && PASSING_REGISTRY_CODES.has(error.code);
}
