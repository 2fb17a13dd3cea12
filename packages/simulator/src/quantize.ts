import { DEFAULT_RESOLUTION } from '@secondrow/codec';

/** The codec's default quantization step, in g (1 mg); the ground truth uses the same grid. */
export const DEFAULT_RESOLUTION_G: number = DEFAULT_RESOLUTION;

/**
 * `value` (g) moved onto the codec's grid of `resolution` (g): the nearest multiple, written the way
 * the codec decodes it (integer micro-g ÷ 1e6), so a stored value compares equal with `===`.
 */
export function toCodecGrid(value: number, resolution: number = DEFAULT_RESOLUTION_G): number {
  const microG = Math.round(resolution * 1e6);
  return (Math.round(value / resolution) * microG) / 1e6 + 0;
}

/** Integer number of `resolution` steps in `value` (g): the exact key used to compare samples. */
export function toSteps(value: number, resolution: number = DEFAULT_RESOLUTION_G): number {
  return Math.round(value / resolution) + 0;
}

/** A digital accelerometer's output format. */
export interface SensorFormat {
  /** Full-scale range, g: readings are clipped to ±range. */
  rangeG: number;
  /** Bits per reading (16 for common MEMS parts). */
  bits: number;
}

/** A ±8 g, 16-bit sensor: one step is 1/4096 g ≈ 0.244 mg, as in the bundled Wear OS recording. */
export const WATCH_SENSOR: SensorFormat = { rangeG: 8, bits: 16 };

/** `value` (g) as a `format` sensor reports it: clipped to its range and rounded to its step. */
export function sensorQuantize(value: number, format: SensorFormat = WATCH_SENSOR): number {
  const step = (2 * format.rangeG) / 2 ** format.bits;
  const maxCode = 2 ** (format.bits - 1) - 1;
  const code = Math.max(-maxCode - 1, Math.min(maxCode, Math.round(value / step)));
  return code * step + 0;
}
