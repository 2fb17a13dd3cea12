import { listRecordings } from '@secondrow/devkit';
import { describe, expect, it } from 'vitest';
import { decodeRow, encodeRow, packRows, toItem, unpackRows, writeUnits } from '../../src/index.js';

const DEVICE_ID =
  `us-east-1:${'a'.repeat(8)}-${'b'.repeat(4)}-${'c'.repeat(4)}-${'d'.repeat(4)}-${'e'.repeat(12)}`.padEnd(
    64,
    'f',
  );
const EXPIRES_AT = 2_000_000_000;

describe('real recordings (devkit data/accel)', () => {
  const recordings = listRecordings();

  it('finds the recordings', () => {
    expect(recordings.length).toBeGreaterThanOrEqual(5);
  });

  describe.each(recordings.map((r) => [r.name, r.samples] as const))('%s', (_name, samples) => {
    it.each([1, 4] as const)(
      'round-trips every %i-second row within half a milli-g, each in one write unit',
      (windowSeconds) => {
        const rows = packRows(samples, { windowSeconds });
        for (const row of rows) {
          expect(decodeRow(encodeRow(row))).toEqual(row);
          expect(writeUnits(toItem(DEVICE_ID, row, { expiresAt: EXPIRES_AT }))).toBe(1);
        }
        const restored = unpackRows(rows);
        expect(restored.length).toBe(new Set(samples.map((s) => s.t)).size);
        const byTime = new Map(samples.map((s) => [s.t, s]));
        for (const s of restored) {
          const original = byTime.get(s.t)!;
          expect(Math.abs(s.x - original.x)).toBeLessThanOrEqual(0.0005 + 1e-12);
          expect(Math.abs(s.y - original.y)).toBeLessThanOrEqual(0.0005 + 1e-12);
          expect(Math.abs(s.z - original.z)).toBeLessThanOrEqual(0.0005 + 1e-12);
        }
      },
    );
  });
});
