/** Names of the errors DynamoDB returns when a request is throttled. */
const THROTTLING_ERRORS: ReadonlySet<string> = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

/** True when `error` is DynamoDB throttling the request. */
export function isThrottlingError(error: unknown): boolean {
  return error instanceof Error && THROTTLING_ERRORS.has(error.name);
}

/**
 * True when `error` is worth retrying unchanged: throttling, or a server-side (5xx) fault the SDK itself
 * marks as transient. Client errors (validation, missing table, ...) are not.
 */
export function isTransientError(error: unknown): boolean {
  if (isThrottlingError(error)) return true;
  if (!(error instanceof Error)) return false;
  const e = error as { $fault?: unknown; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  return e.$fault === 'server' || (typeof status === 'number' && status >= 500);
}

/** True when `error` is the SDK telling us the request was aborted through its `abortSignal`. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/**
 * Delay before retry number `retry` (0-based), in ms: capped exponential backoff with full jitter, i.e.
 * uniform in `[0, min(maxDelayMs, baseDelayMs * 2^retry))`. Full jitter spreads racing writers apart,
 * which matters more here than a short mean delay.
 */
export function backoffDelayMs(
  retry: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(retry, 30));
  return Math.floor(random() * cap);
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
