/**
 * One accelerometer reading.
 *
 * `t` is the sample time in integer epoch milliseconds (UTC); fractional or
 * negative times are rejected, never rounded, so no two distinct readings can
 * silently collapse onto one time. `x`, `y`, `z` are accelerations in g
 * (1 g = 9.80665 m/s²), gravity included.
 */
export interface Sample {
  /** Sample time, integer epoch milliseconds (UTC). */
  t: number;
  /** Acceleration along the device's x axis, in g. */
  x: number;
  /** Acceleration along the device's y axis, in g. */
  y: number;
  /** Acceleration along the device's z axis, in g. */
  z: number;
}

/** Window lengths a row may cover, in seconds. Each divides a minute, so windows never straddle one. */
export type WindowSeconds = 1 | 2 | 4 | 5 | 10 | 15 | 30 | 60;

/** Every supported window length, in seconds, ascending. */
export const WINDOW_SECONDS: readonly WindowSeconds[] = [1, 2, 4, 5, 10, 15, 30, 60];

/**
 * The samples of one device in one UTC window: the unit that is encoded,
 * stored as one DynamoDB item and merged.
 */
export interface Row {
  /** Window start, epoch milliseconds (UTC); a multiple of `windowSeconds * 1000`. */
  startMs: number;
  /** Window length in seconds. */
  windowSeconds: WindowSeconds;
  /** Quantization step in g (default 0.001 g = 1 mg); every value is an integer multiple of it. */
  resolution: number;
  /** Samples inside `[startMs, startMs + windowSeconds * 1000)`, strictly increasing in `t`, values on the resolution grid. */
  samples: Sample[];
  /** Exact duplicates (same `t` and same quantized values) dropped while packing or merging this row. */
  duplicates: number;
  /** Pairs of different samples sharing one `t`, resolved by the deterministic rule of `packRows`. */
  conflicts: number;
}

/** Options of {@link packRows}. */
export interface PackOptions {
  /** Window length in seconds. Default 1. */
  windowSeconds?: WindowSeconds;
  /** Quantization step in g. Default 0.001 (1 mg). */
  resolution?: number;
  /** Largest magnitude accepted on any axis, in g. Default 16 (a ±16 g sensor). */
  range?: number;
}

/**
 * One row as integer columns, the codec's own form: what {@link encodeRowSteps} writes and
 * {@link decodeRowSteps} reads, without an object per sample. Entries `[0, count)` of the four
 * arrays are the samples; the arrays may be longer.
 */
export interface RowSteps {
  /** Window start, epoch milliseconds (UTC); a multiple of `windowSeconds * 1000`. */
  startMs: number;
  /** Window length in seconds. */
  windowSeconds: WindowSeconds;
  /** Quantization step in micro-g (1000 = 1 mg), an integer in 1..1 000 000; a value in g is `steps * resolutionMicroG / 1e6`. */
  resolutionMicroG: number;
  /** Number of samples. */
  count: number;
  /** Exact duplicates dropped while packing or merging this row. */
  duplicates: number;
  /** Different readings at one time resolved by the smallest-(x, y, z) rule. */
  conflicts: number;
  /** Sample times in ms after `startMs`: strictly increasing, below `windowSeconds * 1000`. */
  offsets: Int32Array;
  /** x in resolution steps, at most 2^24 − 1 in magnitude. */
  x: Int32Array;
  /** y in resolution steps. */
  y: Int32Array;
  /** z in resolution steps. */
  z: Int32Array;
}
