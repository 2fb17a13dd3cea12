import { FlagError } from './errors.js';

/** Limits of {@link parseNumberFlag}. */
export interface NumberFlagOptions {
  /** Smallest allowed value (inclusive). Default: no limit. */
  min?: number;
  /** Largest allowed value (inclusive). Default: no limit. */
  max?: number;
  /** Require a whole number. Default false. */
  integer?: boolean;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses the value of a numeric command-line flag strictly: the whole text must be a decimal number (no
 * empty text, `NaN`, `Infinity`, hex or trailing garbage such as `10x`), whole when `integer`, and within
 * `[min, max]`.
 *
 * @param flag - The flag as typed, for the message, e.g. `--devices`.
 * @param raw - The text given.
 * @param options - Limits.
 * @returns The number.
 * @throws {FlagError} naming the flag and the accepted range.
 * @example parseNumberFlag('--devices', '4', { integer: true, min: 1 }) // 4
 */
export function parseNumberFlag(flag: string, raw: string, options: NumberFlagOptions = {}): number {
  const text = raw.trim();
  const { min, max, integer = false } = options;
  const wanted = `${integer ? 'an integer' : 'a number'}${rangeText(min, max)}`;
  if (text === '') throw new FlagError(flag, `needs ${wanted}, got nothing`);
  const value = DECIMAL.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value) || (integer && !Number.isSafeInteger(value))) {
    throw new FlagError(flag, `must be ${wanted}, got ${JSON.stringify(raw)}`);
  }
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    throw new FlagError(flag, `must be ${wanted}, got ${raw}`);
  }
  return value;
}

function rangeText(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return ` in [${min}, ${max}]`;
  if (min !== undefined) return ` >= ${min}`;
  if (max !== undefined) return ` <= ${max}`;
  return '';
}
