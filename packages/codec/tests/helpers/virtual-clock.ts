import type { Clock } from '../../src/clock.js';

interface Timer {
  due: number;
  seq: number;
  resolve: () => void;
}

/**
 * A {@link Clock} whose time moves only when every pending promise has settled: each sleep is a timer,
 * and once the process is otherwise idle (a `setImmediate` hop, after all microtasks) the earliest timer
 * fires and `now()` jumps to its due time. Backoff, deadlines and attempt timeouts run in virtual time,
 * without wall-clock waits. Meant for requests that settle in microtasks (mocked clients), not real sockets.
 */
export class VirtualClock implements Clock {
  private time: number;
  private seq = 0;
  private timers: Timer[] = [];
  private scheduled = false;
  /** Every sleep asked for without an abort signal (the store's backoff pauses), in ms. */
  readonly pauses: number[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal === undefined) this.pauses.push(ms);
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer: Timer = { due: this.time + Math.max(0, ms), seq: this.seq++, resolve };
      this.timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.timers = this.timers.filter((t) => t !== timer);
          reject(signal.reason);
        },
        { once: true },
      );
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.timers.length === 0) return;
      this.timers.sort((a, b) => a.due - b.due || a.seq - b.seq);
      const next = this.timers.shift() as Timer;
      this.time = Math.max(this.time, next.due);
      next.resolve();
      if (this.timers.length > 0) this.schedule();
    });
  }
}
