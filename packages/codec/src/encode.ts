import { BitWriter } from './bits.js';
import { InvalidOptionError, InvalidSampleError } from './errors.js';
import { isWindowSeconds, MAX_QUANTUM, quantize, resolutionToMicroG } from './quantize.js';
import { RowBitsWriter } from './row-bits.js';
import { type RowRecord, rowType } from './row-type.js';
import { ScratchColumns } from './scratch-columns.js';
import type { Row, Sample } from './types.js';

// Buffers the encoder reuses across calls, each held by its instance (encodeRow is synchronous, never reentrant).
const writer = new BitWriter(2048);
const columns = new ScratchColumns();
const bits = new RowBitsWriter();

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

/**
 * Encodes a row as Avro single-object bytes: `C3 01`, the 8-byte CRC-64-AVRO fingerprint of
 * {@link ROW_SCHEMA} (little-endian), then the Avro record whose `data` field holds the compact bit
 * stream described in FORMAT.md. Values are re-quantized to `row.resolution` (a no-op for rows from
 * {@link packRows}).
 *
 * @param row - a row as produced by {@link packRows}, {@link mergeRows} or {@link decodeRow}.
 * @returns the encoded bytes (typically about 3.5 bytes per sample).
 * @throws {InvalidOptionError} when the window, resolution or counts are invalid.
 * @throws {InvalidSampleError} when samples are not strictly increasing in `t`, lie outside the
 *   window, or hold non-finite or out-of-range values.
 * @example
 * const bytes = encodeRow(packRows(samples)[0]!);
 */
export function encodeRow(row: Row): Uint8Array {
  const { windowSeconds, resolution, startMs, samples } = row;
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
  // Worst case per sample: 16 time bits + 3 × 26 value bits; plus section headers.
  writer.reset(Math.ceil((n * 94) / 8) + 64);
  let periodMs = 0;
  if (n > 0) {
    periodMs = bits.writeTimes(writer, offsets, n, windowMs);
    bits.writeAxis(writer, xs, n);
    bits.writeAxis(writer, ys, n);
    bits.writeAxis(writer, zs, n);
  }
  const length = writer.finish();
  const record: RowRecord = {
    startSeconds: startMs / 1000,
    windowSeconds,
    resolutionMicroG,
    count: n,
    duplicates: row.duplicates,
    conflicts: row.conflicts,
    periodMs,
    data: writer.buf.subarray(0, length),
  };
  return rowType.encode(record);
}
