import { SINGLE_OBJECT_HEADER_BYTES } from './avro.js';
import { BitReader, BitStreamError } from './bits.js';
import { DecodeError } from './errors.js';
import { dequantize, isWindowSeconds } from './quantize.js';
import { readAxis, readTimes } from './row-bits.js';
import { readAxisV2, readTimesV2 } from './row-bits-v2.js';
import { emptyHeaderV2, HeaderReaderV2, ROW_V2_ID } from './row-header-v2.js';
import { overlongRowVarint, rowType } from './row-type.js';
import { ScratchColumns } from './scratch-columns.js';
import type { Row, RowSteps, Sample, WindowSeconds } from './types.js';

const reader = new BitReader();
const columns = new ScratchColumns();
const headerReader = new HeaderReaderV2();
const headerV2 = emptyHeaderV2();
/** Schema id of later row versions (first byte 80 to 9F, reserved): UNKNOWN_SCHEMA, not corrupt bytes. */
const RESERVED_ID = 4;

function fail(message: string, cause?: unknown): never {
  throw new DecodeError('DECODE_FAILED', `row: ${message}`, cause === undefined ? undefined : { cause });
}

function isCount(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= 0x7fffffff;
}

/**
 * The header fields of a decoded row; its samples are in the decoder's scratch columns (or in the `into` given
 * to {@link decodeRowBits}).
 */
export interface DecodedRowBits {
  startMs: number;
  windowSeconds: WindowSeconds;
  resolutionMicroG: number;
  count: number;
  duplicates: number;
  conflicts: number;
  /** Time offsets (ms from `startMs`) and x, y, z in steps, valid in `[0, count)` until the next decode. */
  columns: ScratchColumns;
}

/** Makes each column of `steps` hold at least `count` entries, replacing a shorter (or missing) one. */
function sizeColumns(steps: RowSteps, count: number): void {
  if (!(steps.offsets?.length >= count)) steps.offsets = new Int32Array(count);
  if (!(steps.x?.length >= count)) steps.x = new Int32Array(count);
  if (!(steps.y?.length >= count)) steps.y = new Int32Array(count);
  if (!(steps.z?.length >= count)) steps.z = new Int32Array(count);
}

/**
 * Decodes and checks a whole row, so nothing is built per sample: into the module's scratch columns, or,
 * given `into`, straight into its columns (grown to `count` entries when shorter) with no copy; its header
 * fields are left to the caller. Every check of {@link decodeRow} happens here: a bad row throws having written
 * nothing but scratch or `into`'s columns.
 *
 * @throws {DecodeError} as {@link decodeRow}.
 */
export function decodeRowBits(bytes: Uint8Array, into?: RowSteps): DecodedRowBits {
  if (!(bytes instanceof Uint8Array)) fail('expected a Uint8Array');
  const id = (bytes[0] ?? 0) >>> 5;
  let data: Uint8Array;
  let offset = 0;
  let version: 1 | 2;
  if (id === ROW_V2_ID) {
    // The bit stream is read in place, from the byte after the header to the end of `bytes`.
    offset = headerReader.read(bytes, headerV2);
    data = bytes;
    version = 2;
  } else if (id === RESERVED_ID) {
    throw new DecodeError('UNKNOWN_SCHEMA', `row: written with unknown row schema id ${id}`);
  } else {
    const rec = rowType.decode(bytes, 'row');
    const overlong = overlongRowVarint(bytes, SINGLE_OBJECT_HEADER_BYTES);
    if (overlong !== undefined) fail(overlong);
    headerV2.startSeconds = rec.startSeconds;
    headerV2.windowSeconds = rec.windowSeconds;
    headerV2.resolutionMicroG = rec.resolutionMicroG;
    headerV2.count = rec.count;
    headerV2.duplicates = rec.duplicates;
    headerV2.conflicts = rec.conflicts;
    headerV2.periodMs = rec.periodMs;
    data = rec.data;
    version = 1;
  }
  const { startSeconds, windowSeconds, resolutionMicroG, count, duplicates, conflicts, periodMs } = headerV2;
  if (!isWindowSeconds(windowSeconds)) fail(`bad windowSeconds ${windowSeconds}`);
  const windowMs = windowSeconds * 1000;
  if (!Number.isSafeInteger(startSeconds * 1000) || startSeconds < 0 || startSeconds % windowSeconds !== 0) {
    fail(`bad window start ${startSeconds}`);
  }
  if (!Number.isInteger(resolutionMicroG) || resolutionMicroG < 1 || resolutionMicroG > 1e6) {
    fail(`bad resolution ${resolutionMicroG} µg`);
  }
  if (!Number.isInteger(count) || count < 0 || count > windowMs) fail(`bad sample count ${count}`);
  if (!isCount(duplicates) || !isCount(conflicts)) fail('bad duplicate or conflict count');
  if (!Number.isInteger(periodMs) || periodMs < 0 || periodMs >= windowMs || (count < 2 && periodMs !== 0)) {
    fail(`bad period ${periodMs} ms`);
  }
  if (into !== undefined) sizeColumns(into, count);
  if (count === 0) {
    if (data.length !== offset) fail('data present in an empty row');
  } else {
    let offsets: Int32Array;
    let xs: Int32Array;
    let ys: Int32Array;
    let zs: Int32Array;
    if (into === undefined) {
      columns.ensure(count);
      ({ offsets, xs, ys, zs } = columns);
    } else {
      ({ offsets, x: xs, y: ys, z: zs } = into);
    }
    try {
      reader.reset(data, offset);
      if (version === 2) {
        readTimesV2(reader, offsets, count, windowMs, periodMs);
        readAxisV2(reader, xs, count);
        readAxisV2(reader, ys, count);
        readAxisV2(reader, zs, count);
      } else {
        readTimes(reader, offsets, count, windowMs, periodMs);
        readAxis(reader, xs, count);
        readAxis(reader, ys, count);
        readAxis(reader, zs, count);
      }
    } catch (error) {
      if (error instanceof BitStreamError) fail(error.message, error);
      throw error;
    }
    if (!reader.atCleanEnd()) fail('trailing bits in data');
    // Above 2^53 − 1 a time would not be exact in a double (FORMAT.md §1.3).
    const last = offsets[count - 1] as number;
    if (startSeconds * 1000 + last > Number.MAX_SAFE_INTEGER) {
      fail(`sample ${count - 1} at ${startSeconds * 1000} + ${last} ms is beyond 2^53 - 1 ms`);
    }
  }
  return {
    startMs: startSeconds * 1000,
    windowSeconds: windowSeconds as WindowSeconds,
    resolutionMicroG,
    count,
    duplicates,
    conflicts,
    columns,
  };
}

/**
 * Decodes bytes written by {@link encodeRow} (with the current or any registered older schema).
 *
 * Every invariant is checked before a sample is returned: known window length and resolution,
 * aligned start, sample count at most one per millisecond of the window (checked before any
 * allocation), times strictly increasing inside the window and at most 2^53 − 1 ms, values within
 * ±(2^24 − 1) steps, and the bit stream consumed exactly with zero padding.
 *
 * @param bytes - single-object encoded row.
 * @returns the row; sample values are multiples of `resolution`.
 * @throws {DecodeError} `DECODE_FAILED` for truncated, trailing, corrupted or foreign bytes;
 *   `UNKNOWN_SCHEMA` for a fingerprint this reader does not know.
 * @example
 * const row = decodeRow(item.p.B);
 */
export function decodeRow(bytes: Uint8Array): Row {
  const { startMs, windowSeconds, resolutionMicroG, count, duplicates, conflicts } = decodeRowBits(bytes);
  const { offsets, xs, ys, zs } = columns;
  const samples: Sample[] = new Array<Sample>(count);
  for (let i = 0; i < count; i++) {
    samples[i] = {
      t: startMs + (offsets[i] as number),
      x: dequantize(xs[i] as number, resolutionMicroG),
      y: dequantize(ys[i] as number, resolutionMicroG),
      z: dequantize(zs[i] as number, resolutionMicroG),
    };
  }
  return {
    startMs,
    windowSeconds,
    resolution: resolutionMicroG / 1e6,
    samples,
    duplicates,
    conflicts,
  };
}

/** Placeholder columns of a new {@link RowSteps} until the row's count is known (never written: length 0). */
const NO_STEPS = new Int32Array(0);

/**
 * Decodes a row (either format version) into integer columns ({@link RowSteps}: time offsets in ms after
 * the window start and values in resolution steps), without an object per sample and without a copy: the
 * bit stream is decoded straight into the columns. Checks everything {@link decodeRow} checks.
 *
 * @param bytes - an encoded row.
 * @param into - a `RowSteps` whose arrays are reused when they hold `count` entries (else replaced by
 *   larger ones); default a new one with arrays of exactly `count` entries. On a `DecodeError` its `count` is
 *   0 and its other header fields are unchanged; entries of its columns may hold part of the bad row.
 * @returns `into` (or the new one) with the row's header fields and columns `[0, count)`.
 * @throws {DecodeError} `DECODE_FAILED` or `UNKNOWN_SCHEMA`, as `decodeRow`.
 * @example
 * const steps = decodeRowSteps(bytes);
 * const zInG = steps.z[0]! * steps.resolutionMicroG / 1e6;
 */
export function decodeRowSteps(bytes: Uint8Array, into?: RowSteps): RowSteps {
  const out: RowSteps = into ?? {
    startMs: 0,
    windowSeconds: 1,
    resolutionMicroG: 1000,
    count: 0,
    duplicates: 0,
    conflicts: 0,
    offsets: NO_STEPS,
    x: NO_STEPS,
    y: NO_STEPS,
    z: NO_STEPS,
  };
  // Whatever fails below, `out` then holds no row rather than a mix of the old row and part of the bad one.
  out.count = 0;
  const { startMs, windowSeconds, resolutionMicroG, count, duplicates, conflicts } = decodeRowBits(
    bytes,
    out,
  );
  out.startMs = startMs;
  out.windowSeconds = windowSeconds;
  out.resolutionMicroG = resolutionMicroG;
  out.count = count;
  out.duplicates = duplicates;
  out.conflicts = conflicts;
  return out;
}
