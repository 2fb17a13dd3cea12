/**
 * Time as code that waits sees it: the current time and a cancellable sleep. Injected where code
 * waits (the store's backoff and deadline, the consumer, the local runner), so tests can drive time
 * without waiting on the wall clock.
 */
export interface Clock {
  /** Current time, epoch ms. */
  now(): number;
  /**
   * Resolves after `ms` milliseconds (at once for `ms <= 0`). When `signal` aborts first it rejects with
   * `signal.reason`; an already aborted signal rejects at once.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: `Date.now()` and a `setTimeout` sleep that stops its timer when `signal` aborts. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
