import { setTimeout as delay, setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { InvalidSimulatorOptionError } from './errors.js';

/**
 * Simulated time. At a finite `speed` it runs `speed` times faster than the wall clock from the
 * moment it is created (1 = real time). At `speed: Infinity` it only moves when someone sleeps:
 * sleeping is free, so a run goes as fast as the machine allows, and `now()` is the latest time
 * anyone slept until.
 */
export class VirtualClock {
  /** Simulated epoch ms at which the clock started. */
  readonly startMs: number;
  /** Simulated milliseconds per wall millisecond (`Infinity` = as fast as possible). */
  readonly speed: number;
  readonly #wallStart: number;
  #reached: number;

  /** @throws {InvalidSimulatorOptionError} unless `speed` is positive (finite or `Infinity`). */
  constructor(options: { startMs: number; speed: number }) {
    if (!(options.speed > 0)) {
      throw new InvalidSimulatorOptionError('speed', `speed must be > 0 or Infinity, got ${options.speed}`);
    }
    this.startMs = options.startMs;
    this.speed = options.speed;
    this.#wallStart = performance.now();
    this.#reached = options.startMs;
  }

  /** Current simulated time, epoch ms (fractional at finite speeds). */
  now(): number {
    if (this.speed === Number.POSITIVE_INFINITY) return this.#reached;
    return this.startMs + (performance.now() - this.#wallStart) * this.speed;
  }

  /** Resolves once simulated time reaches `simMs` (at once, after yielding, at infinite speed). */
  async sleepUntil(simMs: number): Promise<void> {
    if (simMs > this.#reached) this.#reached = simMs;
    if (this.speed === Number.POSITIVE_INFINITY) {
      // Yield so producers and the consumer interleave even when nobody waits.
      await yieldToEventLoop();
      return;
    }
    // Timers may fire a fraction of a millisecond early, so wait until the clock really reads `simMs`.
    for (;;) {
      const wallMs = (simMs - this.startMs) / this.speed - (performance.now() - this.#wallStart);
      if (wallMs <= 0) return;
      await delay(Math.ceil(wallMs));
    }
  }

  /** Resolves after `ms` simulated milliseconds from `fromMs` (default: now). */
  async sleep(ms: number, fromMs: number = this.now()): Promise<void> {
    await this.sleepUntil(fromMs + ms);
  }
}
