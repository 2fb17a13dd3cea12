import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../src/errors.js';
import { isoTime, MAX_TIME_MS, parseTimeFlag } from '../../src/time-flag.js';

describe('parseTimeFlag()', () => {
  it('reads back every time it prints, as ISO-8601 and as epoch ms', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_TIME_MS - 1 }), (ms) => {
        expect(parseTimeFlag('--from', isoTime(ms))).toBe(ms);
        expect(parseTimeFlag('--from', String(ms))).toBe(ms);
      }),
    );
  });

  it('applies the zone offset', () => {
    expect(parseTimeFlag('--to', '2024-12-04T09:30:00.250+01:30')).toBe(Date.UTC(2024, 11, 4, 8, 0, 0, 250));
  });

  it.each([
    '',
    'now',
    '2024-13-01',
    '2024-02-30',
    '2023-02-29T00:00Z',
    '2024-12-04 08:00Z',
    '1.5',
    '1e3',
    '99999999999999999',
  ])('rejects %j naming the flag', (text) => {
    expect(() => parseTimeFlag('--from', text)).toThrow(ArgumentError);
    expect(() => parseTimeFlag('--from', text)).toThrow(/^--from must be/);
  });
});
