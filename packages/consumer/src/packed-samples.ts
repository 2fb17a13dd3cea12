import type { Sample } from '@secondrow/codec';

/**
 * Samples packed as `[t0, x0, y0, z0, t1, x1, ...]`: 32 bytes a sample instead of about 120 for a
 * `Sample` object and its boxed numbers. The handler keeps parsed JSON v1 samples in this form and
 * makes objects only for the devices it is about to write.
 */
export type PackedSamples = Float64Array;

/** Samples of one accepted part: objects (most formats) or packed (JSON v1 in the handler). */
export type PartSamples = Sample[] | PackedSamples;

// Packed parts are carved out of shared 1 MB blocks: a typed array of its own per record lives outside
// the JS heap, and thousands of those (one per record) made V8 run full collections far more often.
const BLOCK_VALUES = 131_072;

/**
 * Shared 1 MB blocks that packed parts are copied into. A block stays alive while one of its views does,
 * so it is freed with the last part that uses it. One per parser (or batch).
 */
export class PackedBlocks {
  #block = new Float64Array(BLOCK_VALUES);
  #used = 0;

  /** A copy of `values[0 .. length)` in a view of a shared block (large parts get an array of their own). */
  copy(values: Float64Array, length: number): PackedSamples {
    if (length > BLOCK_VALUES / 4) return values.slice(0, length);
    if (this.#used + length > BLOCK_VALUES) {
      this.#block = new Float64Array(BLOCK_VALUES);
      this.#used = 0;
    }
    const view = this.#block.subarray(this.#used, this.#used + length);
    view.set(values.subarray(0, length));
    this.#used += length;
    return view;
  }
}

/** Number of samples in `samples`. */
export function sampleCount(samples: PartSamples): number {
  return Array.isArray(samples) ? samples.length : samples.length >> 2;
}

/** Time of sample `i`, epoch ms. */
export function sampleTime(samples: PartSamples, i: number): number {
  return Array.isArray(samples) ? (samples[i] as Sample).t : (samples[i * 4] as number);
}

/**
 * The sample times alone, epoch ms, in a new array (for the gap estimate, which reads nothing else):
 * the one place samples are reduced to their times.
 */
export function partTimes(samples: PartSamples): Float64Array {
  const count = sampleCount(samples);
  const times = new Float64Array(count);
  if (Array.isArray(samples)) for (let i = 0; i < count; i++) times[i] = (samples[i] as Sample).t;
  else for (let i = 0; i < count; i++) times[i] = samples[i * 4] as number;
  return times;
}

/** The samples as objects (the same array when they already are). */
export function toSamples(samples: PartSamples): Sample[] {
  if (Array.isArray(samples)) return samples;
  const out: Sample[] = [];
  for (let i = 0; i < samples.length; i += 4) {
    out.push({
      t: samples[i] as number,
      x: samples[i + 1] as number,
      y: samples[i + 2] as number,
      z: samples[i + 3] as number,
    });
  }
  return out;
}

/**
 * True when every packed sample passes the codec's check (non-negative safe-integer `t`, each axis
 * within `±range`, finite): the same test as `validateSamples`' fast path, without making objects.
 * On `false` the caller validates the objects to get the codec's error naming index and field.
 */
export function packedSamplesValid(samples: PackedSamples, range: number): boolean {
  const finiteOnly = range === Number.POSITIVE_INFINITY;
  for (let i = 0; i < samples.length; i += 4) {
    const t = samples[i] as number;
    const x = samples[i + 1] as number;
    const y = samples[i + 2] as number;
    const z = samples[i + 3] as number;
    if (
      !(
        Number.isSafeInteger(t) &&
        t >= 0 &&
        x >= -range &&
        x <= range &&
        y >= -range &&
        y <= range &&
        z >= -range &&
        z <= range &&
        (!finiteOnly || (Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z)))
      )
    ) {
      return false;
    }
  }
  return true;
}
