import {
  isServerError as sdkIsServerError,
  isThrottlingError as sdkIsThrottlingError,
  isTransientError as sdkIsTransientError,
} from '@smithy/core/retry';
import { StoreError, type StoreErrorCode } from './store-errors.js';

/**
 * What a failed DynamoDB request means for the row:
 * - `throttled`: DynamoDB asks us to slow down; retry with backoff.
 * - `unavailable`: 5xx, connection reset, socket or attempt timeout; retry with backoff.
 * - `misconfigured`: missing table, denied access, bad credentials; an operator must act, so retrying
 *   now is pointless but the samples must be kept.
 * - `invalid`: the request itself is wrong (ValidationException); it can never succeed.
 * - `other`: anything else; not retried here, kept as retryable so no data is dropped on a guess.
 */
export type FailureKind = 'throttled' | 'unavailable' | 'misconfigured' | 'invalid' | 'other';

const MISCONFIGURED: ReadonlySet<string> = new Set([
  'ResourceNotFoundException',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
  'CredentialsProviderError',
]);

const INVALID: ReadonlySet<string> = new Set(['ValidationException']);

/**
 * Classifies an error thrown by the SDK with the SDK's own rules (`@smithy/core/retry`, the code behind the
 * client's retry strategy), plus `$fault: 'server'` for service exceptions built without an HTTP status.
 * The SDK reports connection resets (`ECONNRESET`, `EPIPE`, `ETIMEDOUT`) as errors named `TimeoutError`;
 * they are `unavailable` here. An `AbortError` is `other`: whether it was the store's own deadline is
 * decided by the store from its own AbortSignal, never from an error's name.
 */
export function classifySdkError(error: unknown): FailureKind {
  if (typeof error !== 'object' || error === null) return 'other';
  if (typeof (error as { name?: unknown }).name !== 'string') return 'other';
  // The SDK's predicates take its own error type; they read only optional fields, so any object is safe.
  const e = error as Parameters<typeof sdkIsTransientError>[0];
  if (sdkIsThrottlingError(e)) return 'throttled';
  if (sdkIsTransientError(e) || sdkIsServerError(e) || e.$fault === 'server') return 'unavailable';
  if (MISCONFIGURED.has(e.name)) return 'misconfigured';
  if (INVALID.has(e.name)) return 'invalid';
  return 'other';
}

/** True for the kinds the store's own loop retries with backoff. */
export function isRetriedInLoop(kind: FailureKind): boolean {
  return kind === 'throttled' || kind === 'unavailable';
}

const CODE_OF: Record<FailureKind, StoreErrorCode> = {
  throttled: 'THROTTLED',
  unavailable: 'UNAVAILABLE',
  misconfigured: 'DYNAMODB_ERROR',
  invalid: 'DYNAMODB_ERROR',
  other: 'DYNAMODB_ERROR',
};

/** `error.name: error.message`, or the value as a string. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * A {@link StoreError} for an SDK error, with the code and `retryable` of its {@link FailureKind}
 * (only `invalid` is permanent). The SDK error is kept in `cause`.
 */
export function storeErrorFromSdk(error: unknown, message: string): StoreError {
  const kind = classifySdkError(error);
  return new StoreError(CODE_OF[kind], `${message}: ${describeError(error)}`, {
    cause: error,
    retryable: kind !== 'invalid',
  });
}
