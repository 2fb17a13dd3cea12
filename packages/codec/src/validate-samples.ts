import { InvalidSampleError } from './errors.js';
import { resolveOptions } from './quantize.js';
import type { PackOptions, Sample } from './types.js';

const AXES = ['x', 'y', 'z'] as const;

/**
 * Checks that every sample is a finite reading at an integer, non-negative epoch-ms time and
 * within `±range` g.
 *
 * @param samples - readings to check, in any order.
 * @param options - `range` (g, default 16) bounds every axis; the other options are checked too.
 * @throws {InvalidSampleError} `INVALID_SAMPLE` (not an object, non-integer/negative/unsafe `t`,
 *   non-finite value) or `OUT_OF_RANGE`, naming the first bad sample's `index` and `field`.
 * @throws {InvalidOptionError} when an option is unsupported.
 * @example
 * validateSamples([{ t: 1700000000000, x: 0, y: 0, z: 1 }]);
 */
export function validateSamples(samples: readonly Sample[], options?: PackOptions): void {
  const { range } = resolveOptions(options);
  for (let i = 0; i < samples.length; i++) checkSample(samples[i], i, range);
}

/**
 * Checks one sample (see {@link validateSamples}); `range` may be `Infinity` to check finiteness only.
 *
 * @throws {InvalidSampleError} naming `index` and the bad field.
 */
export function checkSample(s: unknown, i: number, range: number): void {
  // Fast path for the common valid sample; the loop below finds the field to blame otherwise.
  if (typeof s === 'object' && s !== null) {
    const { t, x, y, z } = s as Sample;
    if (
      Number.isSafeInteger(t) &&
      t >= 0 &&
      typeof x === 'number' &&
      typeof y === 'number' &&
      typeof z === 'number' &&
      x >= -range &&
      x <= range &&
      y >= -range &&
      y <= range &&
      z >= -range &&
      z <= range &&
      (range !== Number.POSITIVE_INFINITY || (Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z)))
    ) {
      return;
    }
  }
  if (typeof s !== 'object' || s === null) {
    throw new InvalidSampleError('INVALID_SAMPLE', i, 'sample', `sample ${i} is not an object`);
  }
  const t = (s as Sample).t;
  if (typeof t !== 'number' || !Number.isSafeInteger(t) || t < 0) {
    throw new InvalidSampleError(
      'INVALID_SAMPLE',
      i,
      't',
      `sample ${i}: t must be a non-negative integer epoch-ms time, got ${String(t)}`,
    );
  }
  for (const axis of AXES) {
    const v = (s as Sample)[axis];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidSampleError(
        'INVALID_SAMPLE',
        i,
        axis,
        `sample ${i}: ${axis} must be a finite number of g, got ${String(v)}`,
      );
    }
    if (v > range || v < -range) {
      throw new InvalidSampleError(
        'OUT_OF_RANGE',
        i,
        axis,
        `sample ${i}: ${axis} = ${v} g is outside ±${range} g`,
      );
    }
  }
}
