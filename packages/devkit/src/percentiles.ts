/** Distribution summary of a set of values (milliseconds, in the reports that use it). */
export interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/**
 * The nearest-rank percentile: the smallest value with at least `p` of all values at or below it, i.e.
 * the value at 1-based rank ⌈p·n⌉ of the sorted values (rank 1 for p = 0). Always one of the values, never
 * an interpolation.
 *
 * @param sorted - Values in ascending order, at least one.
 * @param p - Fraction in [0, 1], e.g. 0.95.
 * @returns The value, or `undefined` for no values.
 * @example percentileOf([1, 2, 3, 4], 0.5) // 2
 */
export function percentileOf(sorted: ArrayLike<number>, p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1];
}

/**
 * Nearest-rank percentiles (see {@link percentileOf}) of `values`, which are sorted in place.
 *
 * @returns The summary, or `null` for no values.
 * @example percentiles([1, 2, 3]) // { count: 3, p50: 2, p90: 3, p99: 3, max: 3 }
 */
export function percentiles(values: number[] | Float64Array): Percentiles | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  const at = (p: number): number => percentileOf(values, p)!;
  return { count: values.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
}
