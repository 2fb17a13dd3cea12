import { describe, expect, it } from 'vitest';
import { formatDuration, formatG, formatLocal, formatPaneValue, formatUtc } from '../../src/page/readout.js';

const T = Date.UTC(2026, 11, 4, 10, 0, 5, 120);

describe('readout text', () => {
  it('shows a time in UTC and in a given zone', () => {
    expect(formatUtc(T)).toBe('2026-12-04 10:00:05.120 UTC');
    expect(formatLocal(T, 60)).toBe('2026-12-04 11:00:05.120 UTC+01:00');
    expect(formatLocal(T, -210)).toBe('2026-12-04 06:30:05.120 UTC-03:30');
    expect(formatLocal(T, 0)).toBe('2026-12-04 10:00:05.120 UTC+00:00');
  });

  it('shows values in g with the store resolution, and says so when there is none', () => {
    expect(formatG(0.9814)).toBe('0.981 g');
    expect(formatG(-1)).toBe('-1.000 g');
    expect(formatG(null)).toBe('no data');
    expect(formatPaneValue([0.1, 0.25])).toBe('0.100 g … 0.250 g');
    expect(formatPaneValue([null, null])).toBe('no data');
    expect(formatPaneValue([0.5])).toBe('0.500 g');
  });

  it('shows durations in the largest fitting unit', () => {
    expect(formatDuration(120)).toBe('120 ms');
    expect(formatDuration(1500)).toBe('1.5 s');
    expect(formatDuration(15 * 60_000)).toBe('15 min');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe('2 h 5 min');
    expect(formatDuration(24 * 3_600_000)).toBe('24 h');
  });
});
