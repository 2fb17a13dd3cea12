import { DEFAULT_GAP_MIN_PERIODS, gapRanges, medianIntervalMs } from '@secondrow/codec';
import { InvalidOptionError } from './errors.js';
import { INTERVAL_ESTIMATE_SAMPLES, MAX_GAPS } from './limits.js';

/** Options of {@link GapFinder}. */
export interface GapFinderOptions {
  /** Inclusive start of the range shown, epoch ms: silence from here to the first sample is a gap. */
  fromMs: number;
  /** Exclusive end of the range shown, epoch ms: silence after the last sample up to here is a gap. */
  toMs: number;
  /**
   * Nominal sampling interval, ms (e.g. from a device registry's rate). Default: the codec's
   * `medianIntervalMs` of the first {@link INTERVAL_ESTIMATE_SAMPLES} sample times of the range.
   */
  intervalMs?: number;
  /** The codec's `minPeriods`: a hole is longer than this many intervals; default `DEFAULT_GAP_MIN_PERIODS` (3). */
  minPeriods?: number;
  /** Most gaps kept, a positive integer; default {@link MAX_GAPS}. Later ones only set `truncated`. */
  maxGaps?: number;
}

/** Gaps of a range: half-open `[startMs, endMs)` pairs, epoch ms, ascending and disjoint. */
export interface GapList {
  /** The holes; none contains a sample time. */
  ranges: Array<[number, number]>;
  /** True when more than `maxGaps` holes were found and only the first were kept. */
  truncated: boolean;
  /** The nominal interval used, ms; undefined when the range had fewer than two distinct sample times. */
  intervalMs: number | undefined;
}

/**
 * The codec's one gap rule (`gapRanges`), computed streaming: chunk boundaries do not matter, memory is
 * bounded by the interval estimate's buffer (1,025 times) and `maxGaps`. The result equals
 * `gapRanges(allTimes, { intervalMs, minPeriods, fromMs, toMs })` with the interval estimated from the
 * first times, i.e. exactly the codec's answer whenever the range holds at most 1,025 samples.
 *
 * Holes are never bridged: a chart draws nothing over them rather than a line between their ends.
 */
export class GapFinder {
  private readonly fromMs: number;
  private readonly toMs: number;
  private readonly minPeriods: number;
  private readonly maxGaps: number;
  private intervalMs: number | undefined;
  private buffer: Float64Array | undefined;
  private buffered = 0;
  private previous: number | undefined;
  private readonly ranges: Array<[number, number]> = [];
  private truncated = false;

  /** @throws {InvalidOptionError} for a non-positive `intervalMs`, `minPeriods` below 1 or a bad `maxGaps`. */
  constructor(options: GapFinderOptions) {
    const { fromMs, toMs, intervalMs } = options;
    if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) {
      throw new InvalidOptionError(
        'fromMs',
        `fromMs and toMs must be finite epoch ms, got ${fromMs}, ${toMs}`,
      );
    }
    if (intervalMs !== undefined && !(intervalMs > 0 && Number.isFinite(intervalMs))) {
      throw new InvalidOptionError(
        'intervalMs',
        `intervalMs must be a positive finite number of ms, got ${intervalMs}`,
      );
    }
    const minPeriods = options.minPeriods ?? DEFAULT_GAP_MIN_PERIODS;
    if (!(minPeriods >= 1 && Number.isFinite(minPeriods))) {
      throw new InvalidOptionError(
        'minPeriods',
        `minPeriods must be a finite number >= 1, got ${minPeriods}`,
      );
    }
    const maxGaps = options.maxGaps ?? MAX_GAPS;
    if (!Number.isInteger(maxGaps) || maxGaps < 1) {
      throw new InvalidOptionError('maxGaps', `maxGaps must be a positive integer, got ${maxGaps}`);
    }
    this.fromMs = fromMs;
    this.toMs = toMs;
    this.minPeriods = minPeriods;
    this.maxGaps = maxGaps;
    this.intervalMs = intervalMs;
    if (intervalMs === undefined) this.buffer = new Float64Array(INTERVAL_ESTIMATE_SAMPLES);
  }

  /** Adds sample times `start` (inclusive) to `end` (exclusive) of `t`, ascending and after every earlier one. */
  add(t: Float64Array, start: number, end: number): void {
    let i = start;
    const buffer = this.buffer;
    if (buffer !== undefined) {
      while (i < end && this.buffered < buffer.length) buffer[this.buffered++] = t[i++] as number;
      if (this.buffered < buffer.length) return;
      this.flushBuffer(buffer);
    }
    if (i < end) this.scan(t.subarray(i, end));
  }

  /** The gaps of the whole range, trailing silence included; call once after the last {@link GapFinder.add}. */
  finish(): GapList {
    if (this.buffer !== undefined) {
      if (this.buffered === 0) {
        this.keep(gapRanges([], { fromMs: this.fromMs, toMs: this.toMs }));
        return this.list();
      }
      this.flushBuffer(this.buffer);
    }
    const { intervalMs, previous } = this;
    if (intervalMs !== undefined && previous !== undefined) {
      this.keep(gapRanges([previous], { intervalMs, minPeriods: this.minPeriods, toMs: this.toMs }));
    }
    return this.list();
  }

  private list(): GapList {
    return { ranges: this.ranges, truncated: this.truncated, intervalMs: this.intervalMs };
  }

  private flushBuffer(buffer: Float64Array): void {
    const times = buffer.subarray(0, this.buffered);
    this.buffer = undefined;
    this.intervalMs = medianIntervalMs(times);
    this.scan(times);
  }

  /** Holes before and inside `times`, by the codec's rule with the nominal interval fixed. */
  private scan(times: Float64Array): void {
    const { intervalMs, minPeriods } = this;
    // No measurable interval (one distinct time in the whole range): the codec reports no holes either.
    if (intervalMs === undefined || times.length === 0) return;
    const first = times[0] as number;
    if (this.previous === undefined) {
      this.keep(gapRanges([first], { intervalMs, minPeriods, fromMs: this.fromMs }));
    } else {
      this.keep(gapRanges([this.previous, first], { intervalMs, minPeriods }));
    }
    this.keep(gapRanges(times, { intervalMs, minPeriods }));
    this.previous = times[times.length - 1] as number;
  }

  private keep(found: Array<[number, number]>): void {
    for (const range of found) {
      if (this.ranges.length < this.maxGaps) this.ranges.push(range);
      else this.truncated = true;
    }
  }
}
