import { InvalidOptionError } from './errors.js';
import type { PackOptions, WindowSeconds } from './types.js';
import { WINDOW_SECONDS } from './types.js';

/** Default quantization step, in g (1 mg). */
export const DEFAULT_RESOLUTION = 0.001;
/** Default largest accepted magnitude, in g (a ±16 g sensor). */
export const DEFAULT_RANGE = 16;
/** Default window length, in seconds. */
export const DEFAULT_WINDOW_SECONDS: WindowSeconds = 1;
/**
 * Largest magnitude of a quantized value, in resolution steps (2^24 − 1). Bounds every value a row
 * may hold, so the decoder can reject corrupt values without knowing the writer's `range`.
 */
export const MAX_QUANTUM = 0xffffff;

/** {@link PackOptions} with defaults applied and checked. */
export interface ResolvedOptions {
  readonly windowSeconds: WindowSeconds;
  /** Quantization step in g. */
  readonly resolution: number;
  /** Quantization step in micro-g (an integer; the form stored in a row). */
  readonly resolutionMicroG: number;
  /** Largest accepted magnitude in g. */
  readonly range: number;
}

/**
 * Converts a resolution in g to integer micro-g, the form stored in a row.
 *
 * @throws {InvalidOptionError} unless `resolution` is a whole number of micro-g between 1 µg and 1 g.
 */
export function resolutionToMicroG(resolution: number): number {
  const micro = Math.round(resolution * 1e6);
  if (!Number.isFinite(resolution) || micro < 1 || micro > 1e6 || micro / 1e6 !== resolution) {
    throw new InvalidOptionError(
      'resolution',
      `resolution must be a whole number of micro-g between 0.000001 and 1 g, got ${String(resolution)}`,
    );
  }
  return micro;
}

/** True when `value` is one of {@link WINDOW_SECONDS}. */
export function isWindowSeconds(value: unknown): value is WindowSeconds {
  return (WINDOW_SECONDS as readonly unknown[]).includes(value);
}

/**
 * Applies defaults to `options` and checks them.
 *
 * @throws {InvalidOptionError} naming the first unsupported option.
 */
export function resolveOptions(options?: PackOptions): ResolvedOptions {
  const windowSeconds = options?.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
  if (!isWindowSeconds(windowSeconds)) {
    throw new InvalidOptionError(
      'windowSeconds',
      `windowSeconds must be one of ${WINDOW_SECONDS.join(', ')}, got ${String(windowSeconds)}`,
    );
  }
  const resolution = options?.resolution ?? DEFAULT_RESOLUTION;
  const resolutionMicroG = resolutionToMicroG(resolution);
  const range = options?.range ?? DEFAULT_RANGE;
  if (typeof range !== 'number' || !(range > 0) || !Number.isFinite(range)) {
    throw new InvalidOptionError(
      'range',
      `range must be a positive finite number of g, got ${String(range)}`,
    );
  }
  // Every value must fit MAX_QUANTUM steps, the bound the decoder enforces.
  if (Math.round(range / resolution) > MAX_QUANTUM) {
    throw new InvalidOptionError(
      'range',
      `range / resolution must not exceed ${MAX_QUANTUM} steps, got ${range} / ${resolution}`,
    );
  }
  return { windowSeconds, resolution, resolutionMicroG, range };
}

/**
 * Quantizes a value in g to the nearest integer number of resolution steps (`Math.round`: halves
 * round up), so the reconstruction error is at most half a step.
 *
 * @param value - acceleration in g.
 * @param resolution - step in g.
 * @returns integer steps (never -0).
 * @example
 * quantize(0.1234, 0.001); // 123
 */
export function quantize(value: number, resolution: number): number {
  // `+ 0` turns -0 into 0 so equal readings compare equal however they are compared.
  return Math.round(value / resolution) + 0;
}

/**
 * Value in g of `steps` resolution steps. Dividing an integer number of micro-g by 1e6 yields the
 * double nearest to the decimal value, so 1 mg steps decode to tidy numbers such as 0.184.
 *
 * @param steps - integer steps.
 * @param resolutionMicroG - step in micro-g.
 * @example
 * dequantize(-184, 1000); // -0.184
 */
export function dequantize(steps: number, resolutionMicroG: number): number {
  return (steps * resolutionMicroG) / 1e6 + 0;
}
