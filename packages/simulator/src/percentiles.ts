/** Distribution summary of a set of values (milliseconds in the demo report). */
export interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/**
 * Nearest-rank percentiles of `values` (sorted in place). Returns `null` for no values.
 *
 * @example percentiles([1, 2, 3]) // { count: 3, p50: 2, p90: 3, p99: 3, max: 3 }
 */
export function percentiles(values: number[] | Float64Array): Percentiles | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  const at = (p: number): number =>
    values[Math.min(values.length - 1, Math.ceil(p * values.length) - 1)] as number;
  return {
    count: values.length,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: values[values.length - 1] as number,
  };
}
