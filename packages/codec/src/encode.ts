import { BitWriter } from './bits.js';
import { InvalidOptionError, InvalidSampleError } from './errors.js';
import { isWindowSeconds, MAX_QUANTUM, quantize, resolutionToMicroG } from './quantize.js';
import { RowBitsWriter } from './row-bits.js';
import { RowBitsWriterV2 } from './row-bits-v2.js';
import { emptyHeaderV2, writeHeaderV2 } from './row-header-v2.js';
import { type RowRecord, rowType } from './row-type.js';
import { ScratchColumns } from './scratch-columns.js';
import type { Row, RowSteps, Sample, WindowSeconds } from './types.js';

// Buffers the encoder reuses across calls, each held by its instance (encodeRow is synchronous, never reentrant).
const writer = new BitWriter(2048);
/**
 * Bytes of the buffers v2 rows are written into, one after another: each row returned is a subarray of one,
 * so a row costs neither an allocation nor a copy of its own (the way Node's Buffer pool serves small buffers).
 */
const SLAB_BYTES = 16384;
// Writes v2 rows into shared slabs; never reset to the start of a slab, so rows handed out stay intact.
const rowWriter = new BitWriter(SLAB_BYTES);
const columns = new ScratchColumns();
const bits = new RowBitsWriter();
const bitsV2 = new RowBitsWriterV2();
const headerV2 = emptyHeaderV2();

/** Checks a row's window length and its start (a non-negative multiple of the window, epoch ms). */
function checkWindow(windowSeconds: number, startMs: number): asserts windowSeconds is WindowSeconds {
  if (!isWindowSeconds(windowSeconds)) {
    throw new InvalidOptionError('windowSeconds', `unsupported windowSeconds ${String(windowSeconds)}`);
  }
  const windowMs = windowSeconds * 1000;
  if (!Number.isSafeInteger(startMs) || startMs < 0 || startMs % windowMs !== 0) {
    throw new InvalidOptionError(
      'startMs',
      `startMs must be a non-negative multiple of ${windowMs}, got ${startMs}`,
    );
  }
}

function checkCount(name: 'duplicates' | 'conflicts', value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) {
    throw new InvalidOptionError(name, `row.${name} must be an integer in 0..2^31-1, got ${String(value)}`);
  }
}

function quantizeAxis(s: Sample, i: number, axis: 'x' | 'y' | 'z', resolution: number): number {
  const v = s[axis];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new InvalidSampleError(
      'INVALID_SAMPLE',
      i,
      axis,
      `sample ${i}: ${axis} must be a finite number of g`,
    );
  }
  const q = quantize(v, resolution);
  if (q > MAX_QUANTUM || q < -MAX_QUANTUM) {
    throw new InvalidSampleError(
      'OUT_OF_RANGE',
      i,
      axis,
      `sample ${i}: ${axis} = ${v} g exceeds the codec's range`,
    );
  }
  return q;
}

/** The checked header fields of a row whose samples are in `columns[0..count)`. */
interface CheckedRow {
  startMs: number;
  windowSeconds: number;
  windowMs: number;
  resolutionMicroG: number;
  count: number;
  duplicates: number;
  conflicts: number;
}

/** Checks `row` and fills the scratch columns with its offsets and quantized values. */
function fillColumns(row: Row): CheckedRow {
  const { windowSeconds, resolution, startMs, samples } = row;
  checkWindow(windowSeconds, startMs);
  const windowMs = windowSeconds * 1000;
  const resolutionMicroG = resolutionToMicroG(resolution);
  checkCount('duplicates', row.duplicates);
  checkCount('conflicts', row.conflicts);
  const n = samples.length;
  if (n > windowMs) {
    throw new InvalidSampleError(
      'INVALID_SAMPLE',
      windowMs,
      't',
      `a ${windowSeconds} s row holds at most ${windowMs} samples`,
    );
  }
  columns.ensure(n);
  const { offsets, xs, ys, zs } = columns;
  let prev = -1;
  for (let i = 0; i < n; i++) {
    const s = samples[i] as Sample;
    const o = s.t - startMs;
    if (!Number.isInteger(o) || o <= prev || o >= windowMs) {
      throw new InvalidSampleError(
        'INVALID_SAMPLE',
        i,
        't',
        `sample ${i}: t = ${s.t} is not strictly increasing inside [${startMs}, ${startMs + windowMs})`,
      );
    }
    offsets[i] = o;
    prev = o;
    // Inline fast path; NaN fails the range test too and takes the slow path for its error.
    const qx = Math.round(s.x / resolution);
    const qy = Math.round(s.y / resolution);
    const qz = Math.round(s.z / resolution);
    if (
      qx >= -MAX_QUANTUM &&
      qx <= MAX_QUANTUM &&
      qy >= -MAX_QUANTUM &&
      qy <= MAX_QUANTUM &&
      qz >= -MAX_QUANTUM &&
      qz <= MAX_QUANTUM
    ) {
      xs[i] = qx;
      ys[i] = qy;
      zs[i] = qz;
    } else {
      xs[i] = quantizeAxis(s, i, 'x', resolution);
      ys[i] = quantizeAxis(s, i, 'y', resolution);
      zs[i] = quantizeAxis(s, i, 'z', resolution);
    }
  }
  return {
    startMs,
    windowSeconds,
    windowMs,
    resolutionMicroG,
    count: n,
    duplicates: row.duplicates,
    conflicts: row.conflicts,
  };
}

/**
 * Checks that the last sample time of a row is at most 2^53 − 1 ms (FORMAT.md §1.3): above it a time is not
 * exact in a double, and readers reject the row.
 *
 * @throws {InvalidSampleError} `INVALID_SAMPLE` naming the last sample.
 */
function checkLastTime(startMs: number, offsets: Int32Array, n: number): void {
  if (n > 0 && startMs + (offsets[n - 1] as number) > Number.MAX_SAFE_INTEGER) {
    throw new InvalidSampleError(
      'INVALID_SAMPLE',
      n - 1,
      't',
      `sample ${n - 1}: t = ${startMs} + ${offsets[n - 1]} ms exceeds 2^53 - 1`,
    );
  }
}

/** Writes row format v2 of `c` with samples `offsets`, `xs`, `ys`, `zs` in `[0, c.count)`. */
function writeV2(
  c: CheckedRow,
  offsets: Int32Array,
  xs: Int32Array,
  ys: Int32Array,
  zs: Int32Array,
): Uint8Array {
  const n = c.count;
  const period = bitsV2.period(offsets, n);
  // The samples are checked on the way (order and window from the intervals the period needs, ranges in
  // each axis's pass); only a bad row pays for finding which sample is at fault.
  if (
    n > 0 &&
    ((offsets[0] as number) < 0 ||
      (offsets[n - 1] as number) >= c.windowMs ||
      (n > 1 && bitsV2.minInterval < 1))
  ) {
    throwBadSteps(offsets, xs, ys, zs, n, c.windowMs);
  }
  checkLastTime(c.startMs, offsets, n);
  // Worst case per sample: 16 time bits + 3 × 26 value bits; plus the header and section headers.
  const w = rowWriter;
  const start = w.resetAfter(Math.ceil((n * 94) / 8) + 96, SLAB_BYTES);
  headerV2.startSeconds = c.startMs / 1000;
  headerV2.windowSeconds = c.windowSeconds;
  headerV2.resolutionMicroG = c.resolutionMicroG;
  headerV2.count = n;
  headerV2.duplicates = c.duplicates;
  headerV2.conflicts = c.conflicts;
  headerV2.periodMs = period;
  writeHeaderV2(w, headerV2);
  if (n > 0) {
    bitsV2.writeTimes(w, offsets, n, c.windowMs, period);
    if (!(bitsV2.writeAxis(w, xs, n) && bitsV2.writeAxis(w, ys, n) && bitsV2.writeAxis(w, zs, n))) {
      // The next row starts where this one did: nothing of it is ever handed out.
      w.pos = start;
      throwBadSteps(offsets, xs, ys, zs, n, c.windowMs);
    }
  }
  return w.buf.subarray(start, w.finish());
}

/**
 * Names the first sample of integer columns whose offset is not strictly increasing inside `[0, windowMs)`
 * or whose value lies outside ±MAX_QUANTUM steps.
 *
 * @throws {InvalidSampleError} always (`INVALID_SAMPLE` for a time, `OUT_OF_RANGE` for a value).
 */
function throwBadSteps(
  offsets: Int32Array,
  x: Int32Array,
  y: Int32Array,
  z: Int32Array,
  n: number,
  windowMs: number,
): never {
  let prev = -1;
  for (let i = 0; i < n; i++) {
    const o = offsets[i] as number;
    if (o <= prev || o >= windowMs) {
      throw new InvalidSampleError(
        'INVALID_SAMPLE',
        i,
        't',
        `sample ${i}: offset ${o} ms is not strictly increasing inside [0, ${windowMs})`,
      );
    }
    prev = o;
    for (const [axis, values] of [
      ['x', x],
      ['y', y],
      ['z', z],
    ] as const) {
      const v = values[i] as number;
      if (v < -MAX_QUANTUM || v > MAX_QUANTUM) {
        throw new InvalidSampleError(
          'OUT_OF_RANGE',
          i,
          axis,
          `sample ${i}: ${axis} exceeds ±${MAX_QUANTUM} steps`,
        );
      }
    }
  }
  throw new InvalidSampleError('INVALID_SAMPLE', 0, 't', 'a sample is out of order or out of range');
}

/**
 * Encodes a row in row format version 1 (Avro single-object encoding, FORMAT.md §1.1–1.4), as every row was
 * written before version 2. Kept so tests can check that old rows keep decoding and merging; writers use
 * {@link encodeRow}.
 *
 * @throws as {@link encodeRow}.
 */
export function encodeRowV1(row: Row): Uint8Array {
  const c = fillColumns(row);
  const n = c.count;
  const { offsets, xs, ys, zs } = columns;
  checkLastTime(c.startMs, offsets, n);
  writer.reset(Math.ceil((n * 94) / 8) + 64);
  let periodMs = 0;
  if (n > 0) {
    periodMs = bits.writeTimes(writer, offsets, n, c.windowMs);
    bits.writeAxis(writer, xs, n);
    bits.writeAxis(writer, ys, n);
    bits.writeAxis(writer, zs, n);
  }
  const length = writer.finish();
  const record: RowRecord = {
    startSeconds: c.startMs / 1000,
    windowSeconds: c.windowSeconds,
    resolutionMicroG: c.resolutionMicroG,
    count: n,
    duplicates: c.duplicates,
    conflicts: c.conflicts,
    periodMs,
    data: writer.buf.subarray(0, length),
  };
  return rowType.encode(record);
}

/**
 * Encodes a row in row format version 2 (FORMAT.md §1): one byte with the schema id (5, `ROW_V2_SCHEMA_ID`)
 * and flags, the window start and the sample count in a few bytes (window, resolution and the duplicate and
 * conflict counts only when they differ from 1 s, 1 mg and 0), then the compact bit stream of the times and
 * the x, y, z values: 7 bytes of header for a one-second row at 1 mg.
 * Values are re-quantized to `row.resolution` (a no-op for rows from {@link packRows}).
 *
 * @param row - a row as produced by {@link packRows}, {@link mergeRows} or {@link decodeRow}.
 * @returns the encoded bytes (about 3.5 to 4 bytes per sample on real wrist data at 50 Hz): a view into a
 *   16 KiB buffer shared with the rows encoded before and after it (never written again), so keeping one row
 *   alone for long keeps that buffer; `slice()` it to hold only its own bytes.
 * @throws {InvalidOptionError} when the window, resolution or counts are invalid.
 * @throws {InvalidSampleError} when samples are not strictly increasing in `t`, lie outside the
 *   window or after 2^53 − 1 ms, or hold non-finite or out-of-range values.
 * @example
 * const bytes = encodeRow(packRows(samples)[0]!);
 */
export function encodeRow(row: Row): Uint8Array {
  const c = fillColumns(row);
  return writeV2(c, columns.offsets, columns.xs, columns.ys, columns.zs);
}

/**
 * Encodes a row given as integer columns ({@link RowSteps}: time offsets in ms and values in resolution
 * steps), in row format version 2 exactly as {@link encodeRow} encodes the same row, without reading an
 * object per sample: the typed-array entry point for producers that already hold integers.
 *
 * @param row - the header fields and the columns; entries `[0, row.count)` are encoded.
 * @returns the encoded bytes, a view into a shared buffer as {@link encodeRow}'s.
 * @throws {InvalidOptionError} when the window, start, resolution or counts are invalid.
 * @throws {InvalidSampleError} when `count` exceeds the window or a column's length, an offset is not
 *   strictly increasing inside the window, the last sample's time (`startMs` + offset) exceeds 2^53 − 1 ms,
 *   or a value is not an integer within ±(2^24 − 1) steps.
 * @example
 * const bytes = encodeRowSteps({ startMs, windowSeconds: 1, resolutionMicroG: 1000, count: 2,
 *   duplicates: 0, conflicts: 0, offsets: Int32Array.of(0, 20), x: Int32Array.of(12, 15),
 *   y: Int32Array.of(-981, -979), z: Int32Array.of(34, 31) });
 */
export function encodeRowSteps(row: RowSteps): Uint8Array {
  const { windowSeconds, startMs, resolutionMicroG, count: n, offsets, x, y, z } = row;
  checkWindow(windowSeconds, startMs);
  const windowMs = windowSeconds * 1000;
  if (!Number.isInteger(resolutionMicroG) || resolutionMicroG < 1 || resolutionMicroG > 1e6) {
    throw new InvalidOptionError(
      'resolutionMicroG',
      `resolutionMicroG must be an integer in 1..1000000, got ${String(resolutionMicroG)}`,
    );
  }
  checkCount('duplicates', row.duplicates);
  checkCount('conflicts', row.conflicts);
  const columnsOk =
    offsets instanceof Int32Array &&
    x instanceof Int32Array &&
    y instanceof Int32Array &&
    z instanceof Int32Array &&
    Math.min(offsets.length, x.length, y.length, z.length) >= n;
  if (!Number.isInteger(n) || n < 0 || n > windowMs || !columnsOk) {
    throw new InvalidSampleError(
      'INVALID_SAMPLE',
      0,
      't',
      `count must be an integer in 0..${windowMs} and at most the length of four Int32Array columns, got ${String(n)}`,
    );
  }
  return writeV2(
    {
      startMs,
      windowSeconds,
      windowMs,
      resolutionMicroG,
      count: n,
      duplicates: row.duplicates,
      conflicts: row.conflicts,
    },
    offsets,
    x,
    y,
    z,
  );
}
