import type { RowChunk } from './source.js';

/** Nearest-rank percentiles of per-row delays, ms. */
export interface LatenessSummary {
  /** Rows measured (rows that record the times this delay is computed from). */
  rows: number;
  /** Median, ms. */
  p50: number;
  /** 95th percentile, ms. */
  p95: number;
  /** Largest, ms. */
  max: number;
}

/**
 * The two delays the table can tell per row, as nearest-rank percentiles over rows (`null` when no row
 * records the times they need):
 * - `latenessMs`: sample time → first written: the row's first write time minus its earliest sample time
 *   in the range, i.e. how old that sample was when it first reached the table (watch buffering, phone
 *   upload, stream and consumer delay together).
 * - `arrivalToWriteMs`: Kinesis arrival → first written: the row's first write time minus the earliest
 *   stream arrival among the writes that added samples to it (the consumer's part alone).
 */
export interface LatenessFigures {
  latenessMs: LatenessSummary | null;
  arrivalToWriteMs: LatenessSummary | null;
}

/**
 * The smallest value with at least `p` of the values at or below it (1-based rank ⌈p·n⌉); always one of
 * the values. `sorted` must be ascending and non-empty.
 */
function nearestRank(sorted: Float64Array, p: number): number {
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1] as number;
}

function summarize(values: Float64Array): LatenessSummary | null {
  if (values.length === 0) return null;
  values.sort();
  return {
    rows: values.length,
    p50: nearestRank(values, 0.5),
    p95: nearestRank(values, 0.95),
    max: values[values.length - 1] as number,
  };
}

class Growable {
  values = new Float64Array(64);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
}

/**
 * Collects the per-row delays of {@link LatenessFigures} from the rows of column chunks, keeping 24 bytes
 * per row (a day of 1 s rows: 2 MB) so the percentiles are exact.
 */
export class LatenessCollector {
  private readonly times = new Growable();
  private readonly lateness = new Growable();
  private readonly arrival = new Growable();
  private sawRows = false;

  /**
   * Adds the rows of one chunk that hold samples; `t` are the chunk's sample times. A row's delays count
   * for the time of its first sample in the range.
   */
  add(rows: RowChunk | undefined, t: Float64Array): void {
    if (rows === undefined) return;
    this.sawRows = true;
    for (let r = 0; r < rows.length; r++) {
      if ((rows.count[r] as number) === 0) continue;
      const written = rows.firstWrittenMs[r] as number;
      if (Number.isNaN(written)) continue;
      const first = t[rows.first[r] as number] as number;
      this.times.push(first);
      this.lateness.push(written - first);
      // NaN when no arrival was recorded: left out at summary time.
      this.arrival.push(written - (rows.arrivalMs[r] as number));
    }
  }

  /** True when some chunk carried rows (the source knows row metadata). */
  get measured(): boolean {
    return this.sawRows;
  }

  /** Figures of the rows whose first sample lies before `endMs` (all rows by default). */
  result(endMs = Number.POSITIVE_INFINITY): LatenessFigures {
    const n = this.times.length;
    const lateness = new Float64Array(n);
    const arrival = new Float64Array(n);
    let kept = 0;
    let arrivals = 0;
    for (let i = 0; i < n; i++) {
      if ((this.times.values[i] as number) >= endMs) continue;
      lateness[kept++] = this.lateness.values[i] as number;
      const a = this.arrival.values[i] as number;
      if (!Number.isNaN(a)) arrival[arrivals++] = a;
    }
    return {
      latenessMs: summarize(lateness.subarray(0, kept)),
      arrivalToWriteMs: summarize(arrival.subarray(0, arrivals)),
    };
  }
}
