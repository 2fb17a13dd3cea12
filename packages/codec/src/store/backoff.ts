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
