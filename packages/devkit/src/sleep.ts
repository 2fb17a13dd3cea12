/** Waits `ms` milliseconds; the injectable default of every `sleep` option in the private packages. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * Resolves after `ms` milliseconds, or at once when `signal` is (or becomes) aborted. Never rejects.
 *
 * @param ms - Delay in milliseconds; 0 or less resolves on the next timer tick.
 * @param signal - Ends the wait early.
 */
export const sleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
  });
