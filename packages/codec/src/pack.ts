import { InvalidOptionError } from './errors.js';
import { dequantize, isWindowSeconds, quantize, resolveOptions } from './quantize.js';
import type { PackOptions, Row, Sample, WindowSeconds } from './types.js';
import { checkSample } from './validate-samples.js';

/**
 * Start of the UTC window holding time `t`.
 *
 * @param t - epoch milliseconds (non-negative integer).
 * @param windowSeconds - window length in seconds.
 * @returns the window start in epoch milliseconds, a multiple of `windowSeconds * 1000`.
 * @throws {InvalidOptionError} when `windowSeconds` is not a supported window length.
 * @example
 * windowStartMs(1700000000123, 1); // 1700000000000
 */
export function windowStartMs(t: number, windowSeconds: WindowSeconds): number {
  if (!isWindowSeconds(windowSeconds)) {
    throw new InvalidOptionError('windowSeconds', `unsupported windowSeconds ${String(windowSeconds)}`);
  }
  const span = windowSeconds * 1000;
  return t - (((t % span) + span) % span);
}

/**
 * Columns {@link packRows} reuses across calls: times (epoch ms) and quantized x, y, z interleaved.
 * Fresh typed arrays per call would be allocated outside the JS heap, and that external memory makes
 * V8 collect garbage far more often in a busy process.
 */
class PackScratch {
  times = new Float64Array(1024);
  values = new Int32Array(3 * 1024);

  /** Grows both columns to hold at least `n` samples (doubling, so growth is amortized). */
  ensure(n: number): void {
    if (this.times.length >= n) return;
    const size = Math.max(n, this.times.length * 2);
    this.times = new Float64Array(size);
    this.values = new Int32Array(3 * size);
  }
}

// packRows is synchronous and never reentrant, so one instance serves every call.
const scratch = new PackScratch();

/** True when `value` equals its quantized value `grid`, sign of zero included (the grid has no -0). */
function onGrid(value: number, grid: number): boolean {
  return value === grid && (grid !== 0 || 1 / value > 0);
}

/**
 * Groups samples into one {@link Row} per UTC window: validates, quantizes, sorts, drops exact
 * duplicates and resolves same-time conflicts.
 *
 * Two different readings at one `t` are resolved without regard to input order: the one whose
 * quantized `(x, y, z)` is lexicographically smallest is kept. Per row, `duplicates` counts
 * readings equal to one already kept and `conflicts` counts distinct readings that lost.
 *
 * A sample whose values are already on the resolution grid is placed in its row as the same object
 * (not copied), so rows may share sample objects with `samples`: treat samples as immutable.
 *
 * @param samples - readings in any order, possibly overlapping and repeated.
 * @param options - window length (s), resolution (g) and range (g).
 * @returns rows in ascending `startMs`; empty input gives `[]`.
 * @throws {InvalidSampleError} naming the first invalid sample.
 * @throws {InvalidOptionError} when an option is unsupported.
 * @example
 * const [row] = packRows([{ t: 1700000000020, x: 0.0004, y: 0, z: 1 }]);
 * row.samples[0]; // { t: 1700000000020, x: 0, y: 0, z: 1 }
 */
export function packRows(samples: readonly Sample[], options?: PackOptions): Row[] {
  const { windowSeconds, resolution, resolutionMicroG, range } = resolveOptions(options);
  const n = samples.length;
  scratch.ensure(n);
  const ts = scratch.times;
  const q = scratch.values;
  // One pass validates (throwing for the first bad sample, as validateSamples does), quantizes and notes
  // whether the input is already in time order, as producers send it.
  let inTimeOrder = true;
  let strictlyIncreasing = true;
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const s = samples[i] as Sample;
    checkSample(s, i, range);
    const t = s.t;
    if (t <= last) {
      strictlyIncreasing = false;
      if (t < last) inTimeOrder = false;
    }
    last = t;
    ts[i] = t;
    q[i * 3] = quantize(s.x, resolution);
    q[i * 3 + 1] = quantize(s.y, resolution);
    q[i * 3 + 2] = quantize(s.z, resolution);
  }
  // Sorting by (t, x, y, z) puts equal readings side by side and the winner of a conflict first.
  const byTimeThenValue = (a: number, b: number): number =>
    (ts[a] as number) - (ts[b] as number) ||
    (q[a * 3] as number) - (q[b * 3] as number) ||
    (q[a * 3 + 1] as number) - (q[b * 3 + 1] as number) ||
    (q[a * 3 + 2] as number) - (q[b * 3 + 2] as number);
  // Input strictly increasing in t (the usual case) needs no permutation at all.
  let order: number[] | undefined;
  if (!strictlyIncreasing) {
    order = new Array<number>(n);
    for (let i = 0; i < n; i++) order[i] = i;
    if (!inTimeOrder) {
      order.sort(byTimeThenValue);
    } else {
      // In time order with repeated t: only runs sharing one t need sorting.
      for (let i = 0; i < n; ) {
        let j = i + 1;
        while (j < n && ts[j] === ts[i]) j++;
        if (j - i > 1) {
          const run = order.slice(i, j).sort(byTimeThenValue);
          for (let k = i; k < j; k++) order[k] = run[k - i] as number;
        }
        i = j;
      }
    }
  }

  const rows: Row[] = [];
  let row: Row | undefined;
  let windowEnd = -1;
  let prev = -1;
  for (let k = 0; k < n; k++) {
    const i = order === undefined ? k : (order[k] as number);
    const t = ts[i] as number;
    if (row === undefined || t >= windowEnd) {
      const startMs = windowStartMs(t, windowSeconds);
      windowEnd = startMs + windowSeconds * 1000;
      row = { startMs, windowSeconds, resolution, samples: [], duplicates: 0, conflicts: 0 };
      rows.push(row);
    } else if (t === ts[prev]) {
      if (q[i * 3] === q[prev * 3] && q[i * 3 + 1] === q[prev * 3 + 1] && q[i * 3 + 2] === q[prev * 3 + 2]) {
        row.duplicates++;
      } else {
        row.conflicts++;
      }
      prev = i;
      continue;
    }
    const x = dequantize(q[i * 3] as number, resolutionMicroG);
    const y = dequantize(q[i * 3 + 1] as number, resolutionMicroG);
    const z = dequantize(q[i * 3 + 2] as number, resolutionMicroG);
    const s = samples[i] as Sample;
    // A reading already on the grid (what producers send at the default 1 mg) is kept as it is: an
    // equal copy per sample doubled the memory and the garbage-collection time of a large batch.
    row.samples.push(onGrid(s.x, x) && onGrid(s.y, y) && onGrid(s.z, z) ? s : { t, x, y, z });
    prev = i;
  }
  return rows;
}

/**
 * All samples of `rows`, in ascending time (copies; the rows are not modified).
 *
 * @param rows - rows in any order.
 * @returns samples sorted by `t`.
 * @example
 * unpackRows(packRows(samples)); // the distinct quantized samples, in time order
 */
export function unpackRows(rows: readonly Row[]): Sample[] {
  const out: Sample[] = [];
  let sorted = true;
  let last = -Infinity;
  for (const row of rows) {
    for (const s of row.samples) {
      if (s.t < last) sorted = false;
      last = s.t;
      out.push({ t: s.t, x: s.x, y: s.y, z: s.z });
    }
  }
  if (!sorted) out.sort((a, b) => a.t - b.t);
  return out;
}
