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
    'today',
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

describe('parseTimeFlag() relative to now', () => {
  it.each([
    ['now', 0],
    ['now-90s', 90_000],
    ['now-15m', 900_000],
    ['now-2h', 7_200_000],
    ['now-7d', 604_800_000],
    ['now+1h', -3_600_000],
  ])('reads %s as now minus %d ms', (text, ago) => {
    expect(parseTimeFlag('--from', text, 1_800_000_000_000)).toBe(1_800_000_000_000 - ago);
  });

  it.each(['now+', 'now-1y', 'now-', 'now-1.5h', 'NOW'])('rejects %j', (text) => {
    expect(() => parseTimeFlag('--to', text, 1_800_000_000_000)).toThrow(/^--to must be/);
  });
});
