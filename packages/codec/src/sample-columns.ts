import { decodeRowBits } from './decode.js';
import { InvalidOptionError } from './errors.js';
import type { WindowSeconds } from './types.js';

/**
 * Growable columns of samples: `t` (epoch ms), `x`, `y`, `z` (g), all `Float64Array`, valid in
 * `[0, length)`; entries from `length` to `capacity` are spare room. Rows decode into them with
 * `decodeRowColumns` without building an object per sample, and one instance can be cleared and
 * refilled, so reading a long range allocates a few arrays instead of millions of objects.
 *
 * Values are `Float64Array` because they must equal what `decodeRow` returns exactly: a value is
 * `steps · resolutionMicroG / 1e6`, a double such as 0.184, which a `Float32Array` would round
 * (0.18400000035762787). Cost: 32 bytes per sample in array buffers, none on the JS heap.
 *
 * The arrays are replaced when capacity grows: read `columns.t` again after appending, and do not keep
 * it across a `reserve` or decode. {@link SampleColumns.views} gives `[0, length)` subarrays.
 *
 * @example
 * const columns = new SampleColumns();
 * for (const bytes of rows) decodeRowColumns(bytes, columns);
 * const { t, z } = columns.views();
 */
export class SampleColumns {
  /** Number of valid samples. */
  length = 0;
  /** Sample times, epoch ms (integers). */
  t: Float64Array;
  /** x acceleration, g. */
  x: Float64Array;
  /** y acceleration, g. */
  y: Float64Array;
  /** z acceleration, g. */
  z: Float64Array;

  /**
   * @param capacity - samples to make room for at once, an integer >= 0. Default 1024.
   * @throws {InvalidOptionError} when `capacity` is not a non-negative safe integer.
   */
  constructor(capacity = 1024) {
    if (!Number.isSafeInteger(capacity) || capacity < 0) {
      throw new InvalidOptionError('capacity', `capacity must be an integer >= 0, got ${String(capacity)}`);
    }
    this.t = new Float64Array(capacity);
    this.x = new Float64Array(capacity);
    this.y = new Float64Array(capacity);
    this.z = new Float64Array(capacity);
  }

  /** Samples the arrays hold before they must grow. */
  get capacity(): number {
    return this.t.length;
  }

  /**
   * Makes room for `extra` more samples after `length`, growing by at least half the current capacity
   * (amortized O(1) per sample) and keeping the valid entries.
   */
  reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.t.length) return;
    const size = Math.max(needed, Math.ceil(this.t.length * 1.5), 64);
    this.t = grown(this.t, size, this.length);
    this.x = grown(this.x, size, this.length);
    this.y = grown(this.y, size, this.length);
    this.z = grown(this.z, size, this.length);
  }

  /**
   * Shrinks the capacity to `length` (one copy of the valid samples), for columns kept a long time:
   * they then hold exactly 32 bytes per sample instead of up to half as much again in spare room.
   */
  trim(): void {
    if (this.t.length === this.length) return;
    this.t = this.t.slice(0, this.length);
    this.x = this.x.slice(0, this.length);
    this.y = this.y.slice(0, this.length);
    this.z = this.z.slice(0, this.length);
  }

  /** Empties the columns, keeping their capacity for reuse. */
  clear(): void {
    this.length = 0;
  }

  /**
   * Keeps, of the samples from index `from` on, only those with `fromMs <= t < toMs`, moving them down
   * to `from`. Samples before `from` are untouched. Expects times sorted from `from` on (as one decoded
   * row is), so the kept ones are contiguous.
   *
   * @returns the number of samples kept.
   */
  clip(from: number, fromMs: number, toMs: number): number {
    const { t, length } = this;
    let lo = from;
    while (lo < length && (t[lo] as number) < fromMs) lo++;
    let hi = lo;
    while (hi < length && (t[hi] as number) < toMs) hi++;
    if (lo > from) {
      this.t.copyWithin(from, lo, hi);
      this.x.copyWithin(from, lo, hi);
      this.y.copyWithin(from, lo, hi);
      this.z.copyWithin(from, lo, hi);
    }
    this.length = from + (hi - lo);
    return hi - lo;
  }

  /** Subarrays of the valid samples, `[0, length)` (views, not copies: they change with the columns). */
  views(): { t: Float64Array; x: Float64Array; y: Float64Array; z: Float64Array } {
    const n = this.length;
    return {
      t: this.t.subarray(0, n),
      x: this.x.subarray(0, n),
      y: this.y.subarray(0, n),
      z: this.z.subarray(0, n),
    };
  }
}

function grown(a: Float64Array, size: number, keep: number): Float64Array {
  const b = new Float64Array(size);
  b.set(a.subarray(0, keep));
  return b;
}

/** What {@link decodeRowColumns} read about a row besides its samples. */
export interface RowColumnsHeader {
  /** Window start, epoch ms. */
  startMs: number;
  /** Window length in seconds. */
  windowSeconds: WindowSeconds;
  /** Quantization step in g. */
  resolution: number;
  /** Samples the row holds (all appended). */
  count: number;
  /** Exact duplicates dropped while packing or merging the row. */
  duplicates: number;
  /** Different readings at one time resolved by the smallest-(x, y, z) rule. */
  conflicts: number;
  /** Index in the columns of the row's first sample (the columns' `length` before the call). */
  first: number;
}

/**
 * Decodes a row (bytes of `encodeRow`) and appends its samples to `into`, in time order, without building
 * an object per sample. Times and values equal `decodeRow(bytes).samples` exactly.
 *
 * The row is checked whole, exactly as `decodeRow` checks it, before anything is appended: on a
 * `DecodeError` the columns are unchanged, so the rows decoded into them before a bad one stay intact.
 *
 * @param bytes - single-object encoded row.
 * @param into - columns to append to; default a new {@link SampleColumns} (then `header.first` is 0).
 * @returns the columns (`into` when given) and the row's header.
 * @throws {DecodeError} `DECODE_FAILED` or `UNKNOWN_SCHEMA`, as `decodeRow`.
 * @example
 * const columns = new SampleColumns();
 * for (const item of items) decodeRowColumns(item.p.B, columns);
 */
export function decodeRowColumns(
  bytes: Uint8Array,
  into: SampleColumns = new SampleColumns(0),
): { columns: SampleColumns; header: RowColumnsHeader } {
  const { startMs, windowSeconds, resolutionMicroG, count, duplicates, conflicts, columns } =
    decodeRowBits(bytes);
  const first = into.length;
  into.reserve(count);
  const { offsets, xs, ys, zs } = columns;
  const { t, x, y, z } = into;
  for (let i = 0; i < count; i++) {
    const j = first + i;
    t[j] = startMs + (offsets[i] as number);
    // Same arithmetic as dequantize (integer product, one division, -0 folded to 0), so values are equal.
    x[j] = ((xs[i] as number) * resolutionMicroG) / 1e6 + 0;
    y[j] = ((ys[i] as number) * resolutionMicroG) / 1e6 + 0;
    z[j] = ((zs[i] as number) * resolutionMicroG) / 1e6 + 0;
  }
  into.length = first + count;
  return {
    columns: into,
    header: {
      startMs,
      windowSeconds,
      resolution: resolutionMicroG / 1e6,
      count,
      duplicates,
      conflicts,
      first,
    },
  };
}
