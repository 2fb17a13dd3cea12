import { DEFAULT_WINDOW_SECONDS, WINDOW_SECONDS } from '@secondrow/codec';
import { InvalidOptionError } from './errors.js';
import type { LatenessSummary } from './lateness.js';

/**
 * What a range holds, counted from its samples, and the delays its rows' audit times tell. `null` means
 * "not measured", never zero: the lateness fields are `null` when the source gives no row metadata (or no
 * row records the times), `duplicates` and `conflicts` always, because the table does not keep them.
 */
export interface QualitySummary {
  /** Store rows (device-windows of `windowSeconds`) holding at least one sample of the range. */
  rows: number;
  /** Whole UTC seconds the range touches that hold at least one sample. */
  secondsWithData: number;
  /** Whole UTC seconds the range touches (`ceil(to/1000) - floor(from/1000)`) holding no sample. */
  missingSeconds: number;
  /** Samples in the range. */
  samples: number;
  /**
   * Exact duplicates dropped when rows were merged: always `null`, the table cannot know it (a merge
   * drops them without recording how many; the consumer's metrics count them as they happen).
   */
  duplicates: null;
  /** Same time stored with different values: always `null`, for the same reason (the first value is kept). */
  conflicts: null;
  /**
   * Sample time → first written, per row (the first write time minus the row's earliest sample time in the
   * range), percentiles in ms; `null` when no row records its first write time (see `LatenessFigures`).
   */
  latenessMs: LatenessSummary | null;
  /** Kinesis arrival → first written, per row, percentiles in ms; `null` when no row records both times. */
  arrivalToWriteMs: LatenessSummary | null;
}

/** Counts a {@link QualitySummary} in one pass over ascending sample times, in constant memory. */
export class QualityCounter {
  private readonly fromMs: number;
  private readonly toMs: number;
  private readonly windowMs: number;
  private samples = 0;
  private seconds = 0;
  private rows = 0;
  /** Start of the next second / row window a sample would open, epoch ms. */
  private nextSecondMs = Number.NEGATIVE_INFINITY;
  private nextWindowMs = Number.NEGATIVE_INFINITY;

  /**
   * @param fromMs - inclusive start of the range, epoch ms.
   * @param toMs - exclusive end, epoch ms.
   * @param windowSeconds - the store's row window, s (default the codec's 1 s).
   * @throws {InvalidOptionError} when `windowSeconds` is not one of the codec's `WINDOW_SECONDS`.
   */
  constructor(fromMs: number, toMs: number, windowSeconds: number = DEFAULT_WINDOW_SECONDS) {
    if (!(WINDOW_SECONDS as readonly number[]).includes(windowSeconds)) {
      throw new InvalidOptionError(
        'windowSeconds',
        `windowSeconds must be one of ${WINDOW_SECONDS.join(', ')}, got ${windowSeconds}`,
      );
    }
    this.fromMs = fromMs;
    this.toMs = toMs;
    this.windowMs = windowSeconds * 1000;
  }

  /** Adds sample times `start` (inclusive) to `end` (exclusive), ascending and after every earlier one. */
  add(t: Float64Array, start: number, end: number): void {
    // Times ascend, so a sample opens a new second (row window) only when it reaches the next one's start:
    // one comparison per sample instead of two divisions.
    const { windowMs } = this;
    let { nextSecondMs, nextWindowMs } = this;
    for (let i = start; i < end; i++) {
      const ti = t[i] as number;
      if (ti >= nextSecondMs) {
        this.seconds++;
        nextSecondMs = (Math.floor(ti / 1000) + 1) * 1000;
      }
      if (ti >= nextWindowMs) {
        this.rows++;
        nextWindowMs = (Math.floor(ti / windowMs) + 1) * windowMs;
      }
    }
    this.nextSecondMs = nextSecondMs;
    this.nextWindowMs = nextWindowMs;
    this.samples += end - start;
  }

  /** The summary of everything added; the lateness fields are `null` (they come from rows, not times). */
  result(): QualitySummary {
    const touched = Math.max(0, Math.ceil(this.toMs / 1000) - Math.floor(this.fromMs / 1000));
    return {
      rows: this.rows,
      secondsWithData: this.seconds,
      missingSeconds: Math.max(0, touched - this.seconds),
      samples: this.samples,
      duplicates: null,
      conflicts: null,
      latenessMs: null,
      arrivalToWriteMs: null,
    };
  }
}
