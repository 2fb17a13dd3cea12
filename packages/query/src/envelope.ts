import { InvalidOptionError } from './errors.js';
import { MAX_POINTS_LIMIT } from './limits.js';

/** Bucket layout of an envelope over `[fromMs, toMs)`. */
export interface BucketLayout {
  /** Width of every bucket, integer ms: `ceil((toMs - fromMs) / maxPoints)`, at least 1. */
  bucketMs: number;
  /** Number of buckets: `ceil((toMs - fromMs) / bucketMs)`, at most `maxPoints`; the last one may end past `toMs`. */
  buckets: number;
}

/**
 * Integer-ms buckets covering `[fromMs, toMs)` with at most `maxPoints` of them, so bucket starts are whole
 * milliseconds and every bucket but the last has the same width.
 *
 * @throws {InvalidOptionError} when `fromMs`/`toMs` are not integers with `fromMs < toMs`, or `maxPoints`
 *   is not an integer in [1, {@link MAX_POINTS_LIMIT}].
 */
export function bucketLayout(fromMs: number, toMs: number, maxPoints: number): BucketLayout {
  if (!Number.isSafeInteger(fromMs) || !Number.isSafeInteger(toMs) || fromMs >= toMs) {
    throw new InvalidOptionError(
      'fromMs',
      `need integer epoch ms with fromMs < toMs, got [${fromMs}, ${toMs})`,
    );
  }
  if (!Number.isInteger(maxPoints) || maxPoints < 1 || maxPoints > MAX_POINTS_LIMIT) {
    throw new InvalidOptionError(
      'maxPoints',
      `maxPoints must be an integer in [1, ${MAX_POINTS_LIMIT}], got ${maxPoints}`,
    );
  }
  const span = toMs - fromMs;
  const bucketMs = Math.ceil(span / maxPoints);
  return { bucketMs, buckets: Math.ceil(span / bucketMs) };
}

/**
 * Per bucket, min and max of x, y, z and of the magnitude `sqrt(x² + y² + z²)` (all in g) and the sample
 * count. An empty bucket has `count` 0 and NaN in every min/max (`null` in JSON).
 */
export interface Envelope {
  /** Start of the requested range, epoch ms; bucket `i` covers `[fromMs + i·bucketMs, fromMs + (i+1)·bucketMs)`. */
  fromMs: number;
  /** Width of a bucket, ms. */
  bucketMs: number;
  /** Samples per bucket. */
  count: Uint32Array;
  xMin: Float64Array;
  xMax: Float64Array;
  yMin: Float64Array;
  yMax: Float64Array;
  zMin: Float64Array;
  zMax: Float64Array;
  magMin: Float64Array;
  magMax: Float64Array;
}

/**
 * Builds an {@link Envelope} in one pass over sample columns: memory is fixed by the bucket count (9
 * arrays of at most 11,000 entries), whatever the number of samples.
 *
 * @example
 * const builder = new EnvelopeBuilder(0, 1000, 2);
 * builder.add(new Float64Array([0, 600]), new Float64Array([1, 2]), new Float64Array(2), new Float64Array(2), 0, 2);
 * builder.result().count; // Uint32Array [1, 1]
 */
export class EnvelopeBuilder {
  private readonly fromMs: number;
  private readonly toMs: number;
  private readonly env: Envelope;

  /**
   * @param fromMs - inclusive start, integer epoch ms.
   * @param toMs - exclusive end, integer epoch ms.
   * @param maxPoints - most buckets, in [1, 11,000].
   * @throws {InvalidOptionError} as {@link bucketLayout}.
   */
  constructor(fromMs: number, toMs: number, maxPoints: number) {
    const { bucketMs, buckets } = bucketLayout(fromMs, toMs, maxPoints);
    this.fromMs = fromMs;
    this.toMs = toMs;
    const nan = (): Float64Array => new Float64Array(buckets).fill(Number.NaN);
    this.env = {
      fromMs,
      bucketMs,
      count: new Uint32Array(buckets),
      xMin: nan(),
      xMax: nan(),
      yMin: nan(),
      yMax: nan(),
      zMin: nan(),
      zMax: nan(),
      magMin: nan(),
      magMax: nan(),
    };
  }

  /**
   * Adds samples `start` (inclusive) to `end` (exclusive) of the columns. Samples outside `[fromMs, toMs)`
   * are not the builder's to place: they throw rather than land in a wrong bucket.
   *
   * @throws {RangeError} for a sample time outside the range.
   */
  add(t: Float64Array, x: Float64Array, y: Float64Array, z: Float64Array, start: number, end: number): void {
    const { fromMs, toMs } = this;
    const { bucketMs, count, xMin, xMax, yMin, yMax, zMin, zMax, magMin, magMax } = this.env;
    for (let i = start; i < end; i++) {
      const ti = t[i] as number;
      if (!(ti >= fromMs && ti < toMs))
        throw new RangeError(`sample time ${ti} outside [${fromMs}, ${toMs})`);
      const b = Math.floor((ti - fromMs) / bucketMs);
      const xi = x[i] as number;
      const yi = y[i] as number;
      const zi = z[i] as number;
      const mag = Math.sqrt(xi * xi + yi * yi + zi * zi);
      if (count[b] === 0) {
        xMin[b] = xMax[b] = xi;
        yMin[b] = yMax[b] = yi;
        zMin[b] = zMax[b] = zi;
        magMin[b] = magMax[b] = mag;
      } else {
        if (xi < (xMin[b] as number)) xMin[b] = xi;
        if (xi > (xMax[b] as number)) xMax[b] = xi;
        if (yi < (yMin[b] as number)) yMin[b] = yi;
        if (yi > (yMax[b] as number)) yMax[b] = yi;
        if (zi < (zMin[b] as number)) zMin[b] = zi;
        if (zi > (zMax[b] as number)) zMax[b] = zi;
        if (mag < (magMin[b] as number)) magMin[b] = mag;
        if (mag > (magMax[b] as number)) magMax[b] = mag;
      }
      count[b] = (count[b] as number) + 1;
    }
  }

  /** The envelope so far (the builder's own arrays, not copies). */
  result(): Envelope {
    return this.env;
  }
}
