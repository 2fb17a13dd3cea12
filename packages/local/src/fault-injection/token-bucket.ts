/**
 * A token bucket: holds at most `capacity` tokens, refills continuously at `perSecond` tokens per
 * second, and starts full. Time comes from the injected clock, so tests control it.
 */
export class TokenBucket {
  readonly #capacity: number;
  readonly #perSecond: number;
  readonly #now: () => number;
  #tokens: number;
  #at: number;

  /**
   * @param capacity - Most tokens held, e.g. 1,000 records or 1,048,576 bytes.
   * @param perSecond - Refill rate in tokens per second.
   * @param now - Clock in ms.
   */
  constructor(capacity: number, perSecond: number, now: () => number) {
    this.#capacity = capacity;
    this.#perSecond = perSecond;
    this.#now = now;
    this.#tokens = capacity;
    this.#at = now();
  }

  /** Tokens available now. */
  available(): number {
    const at = this.#now();
    // A clock that steps back (a test resetting it) must not drain the bucket.
    const elapsedMs = Math.max(0, at - this.#at);
    this.#tokens = Math.min(this.#capacity, this.#tokens + (elapsedMs * this.#perSecond) / 1000);
    this.#at = at;
    return this.#tokens;
  }

  /** Removes `amount` tokens; the caller checked {@link available} first. */
  take(amount: number): void {
    this.#tokens -= amount;
  }
}
