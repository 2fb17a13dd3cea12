import type { Row, Sample } from '../types.js';

/**
 * Nominal sampling interval of `samples`, in ms: the median of the intervals between consecutive samples.
 * The median ignores the occasional long gap or burst, so it tracks the rate the sensor was set to.
 * Returns `undefined` with fewer than two samples. `samples` must be sorted by `t`.
 */
export function estimateIntervalMs(samples: readonly Sample[]): number | undefined {
  const intervals: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const interval = samples[i]!.t - samples[i - 1]!.t;
    if (interval > 0) intervals.push(interval);
  }
  if (intervals.length === 0) return undefined;
  intervals.sort((a, b) => a - b);
  const mid = intervals.length >> 1;
  return intervals.length % 2 === 1 ? intervals[mid]! : (intervals[mid - 1]! + intervals[mid]!) / 2;
}

/**
 * Number of sample slots missing from `row` against its nominal interval (see {@link estimateIntervalMs}):
 * slots before the first sample and after the last one that still fall inside the window, plus, between
 * two consecutive samples `d` ms apart, `round(d / interval) - 1` slots. Rounding absorbs timestamp jitter.
 * A row with fewer than two samples has no measurable rate and reports 0.
 *
 * @param row - a row (samples sorted, unique `t`).
 * @param intervalMs - nominal interval in ms; defaults to the row's own median interval.
 * @returns the number of missing samples, an integer >= 0.
 */
export function countGaps(
  row: Row,
  intervalMs: number | undefined = estimateIntervalMs(row.samples),
): number {
  const { samples } = row;
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (intervalMs === undefined || !(intervalMs > 0) || first === undefined || last === undefined) return 0;
  const endMs = row.startMs + row.windowSeconds * 1000;
  let missing =
    Math.floor((first.t - row.startMs) / intervalMs) + Math.floor((endMs - 1 - last.t) / intervalMs);
  for (let i = 1; i < samples.length; i++) {
    missing += Math.max(0, Math.round((samples[i]!.t - samples[i - 1]!.t) / intervalMs) - 1);
  }
  return Math.max(0, missing);
}

/**
 * True when the row's samples start noticeably after its window start (more than 1.5 nominal intervals):
 * the typical shape of the second half of a second that was split across two batches, whose first half is
 * probably stored already. Used only to choose which request to try first, never for correctness.
 */
export function isMissingHead(row: Row): boolean {
  const first = row.samples[0];
  const intervalMs = estimateIntervalMs(row.samples);
  if (first === undefined || intervalMs === undefined) return false;
  return first.t - row.startMs > 1.5 * intervalMs;
}
