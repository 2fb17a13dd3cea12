import { InvalidOptionError } from './errors.js';

/*
 * Missing samples, from sample times alone (epoch ms, sorted ascending). One estimator for every
 * reader: the consumer's gap metric, the store's per-row counts and the simulator's checks.
 */

/** Default of {@link GapRangeOptions.minPeriods}: a hole is reported when samples are more than 3 intervals apart. */
export const DEFAULT_GAP_MIN_PERIODS = 3;

/**
 * Nominal sampling interval, in ms: the median of the positive intervals between consecutive times
 * (the mean of the two middle ones for an even count). The median ignores the occasional long gap or
 * burst, so it tracks the rate the sensor was set to; repeated times are skipped.
 *
 * @param timesMs - sample times, epoch ms, sorted ascending.
 * @returns the interval in ms, or `undefined` when there are no two distinct times.
 * @example
 * medianIntervalMs([0, 20, 40, 100]); // 20
 */
export function medianIntervalMs(timesMs: ArrayLike<number>): number | undefined {
  const intervals: number[] = [];
  for (let i = 1; i < timesMs.length; i++) {
    const interval = (timesMs[i] as number) - (timesMs[i - 1] as number);
    if (interval > 0) intervals.push(interval);
  }
  if (intervals.length === 0) return undefined;
  intervals.sort((a, b) => a - b);
  const mid = intervals.length >> 1;
  return intervals.length % 2 === 1
    ? (intervals[mid] as number)
    : ((intervals[mid - 1] as number) + (intervals[mid] as number)) / 2;
}

/** Options of {@link countMissing}. */
export interface CountMissingOptions {
  /** Inclusive start of the span the samples should cover, epoch ms (e.g. a row's window start). */
  startMs: number;
  /** Exclusive end of that span, epoch ms. Pass `start = first time` and `end = last time + 1` to count interior holes only. */
  endMs: number;
  /** Nominal interval in ms; default {@link medianIntervalMs} of the times. */
  intervalMs?: number;
}

function checkInterval(intervalMs: number | undefined): void {
  if (intervalMs !== undefined && !(intervalMs > 0 && Number.isFinite(intervalMs))) {
    throw new InvalidOptionError(
      'intervalMs',
      `intervalMs must be a positive finite number of ms, got ${intervalMs}`,
    );
  }
}

/**
 * Number of sample slots missing from `[startMs, endMs)` against the nominal interval: slots before the
 * first time and after the last one that still fall inside the span (`floor(distance / interval)` each),
 * plus, between consecutive times `d` ms apart, `round(d / interval) - 1`. Rounding absorbs timestamp
 * jitter; repeated times count nothing.
 *
 * Without `intervalMs`, fewer than two distinct times have no measurable rate and give 0. With
 * `intervalMs` and no times, every slot of the span is missing: `ceil((endMs - startMs) / intervalMs)`.
 *
 * @param timesMs - sample times, epoch ms, sorted ascending.
 * @returns missing samples, an integer >= 0.
 * @throws {InvalidOptionError} when `intervalMs` is given and not a positive finite number.
 * @example
 * countMissing([0, 20, 40, 100], { startMs: 0, endMs: 120 }); // 2: the slots at 60 and 80
 */
export function countMissing(timesMs: ArrayLike<number>, options: CountMissingOptions): number {
  const { startMs, endMs } = options;
  checkInterval(options.intervalMs);
  const intervalMs = options.intervalMs ?? medianIntervalMs(timesMs);
  if (intervalMs === undefined || !(endMs > startMs)) return 0;
  const n = timesMs.length;
  if (n === 0) return Math.ceil((endMs - startMs) / intervalMs);
  const first = timesMs[0] as number;
  const last = timesMs[n - 1] as number;
  let missing =
    Math.max(0, Math.floor((first - startMs) / intervalMs)) +
    Math.max(0, Math.floor((endMs - 1 - last) / intervalMs));
  for (let i = 1; i < n; i++) {
    const slots = Math.round(((timesMs[i] as number) - (timesMs[i - 1] as number)) / intervalMs);
    if (slots > 1) missing += slots - 1;
  }
  return missing;
}

/** Options of {@link gapRanges}. */
export interface GapRangeOptions {
  /** Nominal interval in ms; default {@link medianIntervalMs} of the times. */
  intervalMs?: number;
  /** A hole is reported where consecutive samples are more than `minPeriods × intervalMs` apart; >= 1, default 3. */
  minPeriods?: number;
  /** Start of the span shown, epoch ms: a hole before the first sample is reported from here. */
  fromMs?: number;
  /** Exclusive end of the span shown, epoch ms: a hole after the last sample is reported up to here. */
  toMs?: number;
}

/**
 * Explicit holes in a series, for a reader's gap display: half-open ranges `[startMs, endMs)` (epoch ms)
 * where samples are more than `minPeriods` nominal intervals apart (default 3, so jitter and a single
 * lost sample are not drawn as holes). Between samples `p` and `q` the hole is `[p + interval, q)`: the
 * span where samples were expected and none arrived. With `fromMs` / `toMs`, holes at the edges are
 * `[fromMs, first)` and `[last + interval, toMs)`; with no samples at all, `[fromMs, toMs)`.
 * No range ever contains a sample time; ranges are ascending and disjoint.
 *
 * @param timesMs - sample times, epoch ms, sorted ascending.
 * @returns the holes; empty when there is no measurable interval (fewer than two distinct times and no `intervalMs`).
 * @throws {InvalidOptionError} for a non-positive `intervalMs` or a `minPeriods` below 1.
 * @example
 * gapRanges([0, 20, 40, 200, 220]); // [[60, 200]]
 */
export function gapRanges(
  timesMs: ArrayLike<number>,
  options: GapRangeOptions = {},
): Array<[number, number]> {
  checkInterval(options.intervalMs);
  const minPeriods = options.minPeriods ?? DEFAULT_GAP_MIN_PERIODS;
  // Below one period a hole could end before its first expected slot.
  if (!(minPeriods >= 1 && Number.isFinite(minPeriods))) {
    throw new InvalidOptionError('minPeriods', `minPeriods must be a finite number >= 1, got ${minPeriods}`);
  }
  const { fromMs, toMs } = options;
  const n = timesMs.length;
  if (n === 0) {
    return fromMs !== undefined && toMs !== undefined && toMs > fromMs ? [[fromMs, toMs]] : [];
  }
  const intervalMs = options.intervalMs ?? medianIntervalMs(timesMs);
  if (intervalMs === undefined) return [];
  const longest = minPeriods * intervalMs;
  const ranges: Array<[number, number]> = [];
  const first = timesMs[0] as number;
  if (fromMs !== undefined && first - fromMs > longest) ranges.push([fromMs, first]);
  for (let i = 1; i < n; i++) {
    const p = timesMs[i - 1] as number;
    const q = timesMs[i] as number;
    if (q - p > longest) ranges.push([p + intervalMs, q]);
  }
  const last = timesMs[n - 1] as number;
  if (toMs !== undefined && toMs - last > longest) ranges.push([last + intervalMs, toMs]);
  return ranges;
}
