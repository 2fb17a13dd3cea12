import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  InvalidOptionError,
  InvalidSampleError,
  ItemError,
  isCodecError,
  type Sample,
  validateSamples,
  WindowMismatchError,
  windowStartMs,
} from '../../src/index.js';

describe('validateSamples()', () => {
  it('accepts valid samples and a custom range', () => {
    expect(() => validateSamples([{ t: 0, x: 16, y: -16, z: 0 }])).not.toThrow();
    expect(() => validateSamples([{ t: 1, x: 31, y: 0, z: 0 }], { range: 32 })).not.toThrow();
  });

  it('names the first bad sample and field', () => {
    const samples = [{ t: 0, x: 0, y: 0, z: 0 }, null as unknown as Sample, { t: 0.5, x: 0, y: 0, z: 0 }];
    expect(() => validateSamples(samples)).toThrow(expect.objectContaining({ index: 1, field: 'sample' }));
    expect(() => validateSamples([{ t: 0, x: 0, y: 0, z: '1' as unknown as number }])).toThrow(
      expect.objectContaining({ code: 'INVALID_SAMPLE', index: 0, field: 'z' }),
    );
    expect(() => validateSamples([{ t: 0, x: -16.5, y: 0, z: 0 }])).toThrow(
      expect.objectContaining({ code: 'OUT_OF_RANGE', field: 'x' }),
    );
  });
});

describe('windowStartMs()', () => {
  it('floors to the window', () => {
    expect(windowStartMs(1_700_000_004_999, 5)).toBe(1_700_000_000_000);
    expect(windowStartMs(1_700_000_005_000, 5)).toBe(1_700_000_005_000);
    expect(() => windowStartMs(0, 3 as 1)).toThrow(InvalidOptionError);
  });
});

describe('isCodecError()', () => {
  it('recognises every codec error and nothing else', () => {
    for (const error of [
      new InvalidSampleError('INVALID_SAMPLE', 0, 't', 'm'),
      new InvalidOptionError('o', 'm'),
      new DecodeError('DECODE_FAILED', 'm'),
      new WindowMismatchError('m'),
      new ItemError('INVALID_ITEM', 'm'),
    ]) {
      expect(isCodecError(error)).toBe(true);
    }
    expect(isCodecError(new Error('x'))).toBe(false);
    expect(isCodecError({ name: 'DecodeError', code: 'DECODE_FAILED' })).toBe(false);
  });
});
