import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlagError } from '../src/errors.js';
import { parseNumberFlag } from '../src/flags.js';

describe('parseNumberFlag()', () => {
  it('accepts decimal numbers within range', () => {
    expect(parseNumberFlag('--n', '4', { integer: true, min: 1 })).toBe(4);
    expect(parseNumberFlag('--rate', '0.5', { min: 0, max: 1 })).toBe(0.5);
    expect(parseNumberFlag('--big', '1e3')).toBe(1000);
    expect(parseNumberFlag('--neg', '-2')).toBe(-2);
  });

  it.each([
    ['', /--n needs a number, got nothing/],
    ['  ', /--n needs a number/],
    ['NaN', /--n must be a number/],
    ['Infinity', /--n must be a number/],
    ['10x', /--n must be a number, got "10x"/],
    ['0x10', /--n must be a number/],
    ['1,5', /--n must be a number/],
  ])('rejects %j naming the flag', (raw, message) => {
    expect(() => parseNumberFlag('--n', raw)).toThrow(FlagError);
    expect(() => parseNumberFlag('--n', raw)).toThrow(message);
  });

  it('rejects fractions for integers and values out of range, naming the range', () => {
    expect(() => parseNumberFlag('--devices', '1.5', { integer: true })).toThrow(
      '--devices must be an integer, got "1.5"',
    );
    expect(() => parseNumberFlag('--devices', '0', { integer: true, min: 1, max: 10 })).toThrow(
      '--devices must be an integer in [1, 10], got 0',
    );
    expect(() => parseNumberFlag('--p', '2', { max: 1 })).toThrow('--p must be a number <= 1, got 2');
  });

  it('round-trips every finite number as JavaScript prints it, and names the flag in every error', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        expect(parseNumberFlag('--x', String(value))).toBe(value + 0);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (raw) => {
        try {
          parseNumberFlag('--x', raw);
        } catch (error) {
          expect(error).toBeInstanceOf(FlagError);
          expect((error as FlagError).flag).toBe('--x');
          expect((error as FlagError).code).toBe('INVALID_FLAG');
        }
      }),
    );
  });
});
