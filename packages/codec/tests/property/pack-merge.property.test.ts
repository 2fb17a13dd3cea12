import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeRows, packRows, type Row, type Sample, sameSamples, unpackRows } from '../../src/index.js';
import { quantize } from '../../src/quantize.js';
import { rowOf } from '../helpers/factories.js';
import { fcParams } from '../helpers/fc.js';

const T0 = 1_700_000_000_000;

/** Readings bunched on few times and few values, so duplicates and conflicts are common. */
const samplesArb = fc.array(
  fc.record({
    t: fc.integer({ min: T0, max: T0 + 2999 }).map((t) => T0 + ((t - T0) % 40) * 75),
    x: fc.integer({ min: -3, max: 3 }).map((v) => v / 1000 + 0.0001),
    y: fc.constantFrom(0, 0.5, -0.25),
    z: fc.double({ min: -16, max: 16, noNaN: true }),
  }),
  { maxLength: 120 },
);

/** A row of window T0 built from bunched readings. */
const rowArb = samplesArb.map(
  (samples): Row => packRows(samples.map((s) => ({ ...s, t: T0 + ((s.t - T0) % 1000) })))[0] ?? rowOf(T0, []),
);

/** Expected content: per time, the lexicographically smallest quantized reading. */
function expectedDistinct(samples: readonly Sample[]): Sample[] {
  const best = new Map<number, [number, number, number]>();
  for (const s of samples) {
    const q: [number, number, number] = [quantize(s.x, 0.001), quantize(s.y, 0.001), quantize(s.z, 0.001)];
    const current = best.get(s.t);
    if (current === undefined || q[0] - current[0] || q[1] - current[1] || q[2] - current[2]) {
      const smaller =
        current === undefined ||
        q[0] - current[0] < 0 ||
        (q[0] === current[0] && (q[1] - current[1] < 0 || (q[1] === current[1] && q[2] < current[2])));
      if (smaller) best.set(s.t, q);
    }
  }
  return [...best.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([t, [x, y, z]]) => ({
      t,
      x: (x * 1000) / 1e6 + 0,
      y: (y * 1000) / 1e6 + 0,
      z: (z * 1000) / 1e6 + 0,
    }));
}

describe('packRows() / unpackRows() properties', () => {
  it('pack then unpack is the identity on the distinct quantized samples, whatever the order', () => {
    fc.assert(
      fc.property(samplesArb, fc.infiniteStream(fc.nat()), (samples, seeds) => {
        const shuffled = [...samples].sort(() => ((seeds.next().value as number) % 3) - 1);
        const expected = expectedDistinct(samples);
        expect(unpackRows(packRows(samples))).toEqual(expected);
        expect(unpackRows(packRows(shuffled))).toEqual(expected);
        // Time-ordered input takes a faster path that only sorts readings sharing one t.
        const timeOrdered = [...shuffled].sort((a, b) => a.t - b.t);
        expect(packRows(timeOrdered)).toEqual(packRows(samples));
        const rows = packRows(samples);
        const dropped = rows.reduce((sum, r) => sum + r.duplicates + r.conflicts, 0);
        expect(dropped + expected.length).toBe(samples.length);
      }),
      fcParams,
    );
  });
});

describe('mergeRows() properties', () => {
  it('is idempotent, commutative and associative on samples', () => {
    fc.assert(
      fc.property(rowArb, rowArb, rowArb, (a, b, c) => {
        expect(sameSamples(mergeRows(a, a), a)).toBe(true);
        expect(sameSamples(mergeRows(a, b), mergeRows(b, a))).toBe(true);
        expect(sameSamples(mergeRows(mergeRows(a, b), c), mergeRows(a, mergeRows(b, c)))).toBe(true);
      }),
      fcParams,
    );
  });

  it('equals packing the union of the inputs', () => {
    fc.assert(
      fc.property(samplesArb, samplesArb, (s1, s2) => {
        const inWindow = (s: Sample) => ({ ...s, t: T0 + ((s.t - T0) % 1000) });
        const [a] = packRows(s1.map(inWindow));
        const [b] = packRows(s2.map(inWindow));
        const [both] = packRows([...s1, ...s2].map(inWindow));
        if (a === undefined || b === undefined || both === undefined) return;
        const merged = mergeRows(a, b);
        expect(sameSamples(merged, both)).toBe(true);
        expect(merged.duplicates + merged.conflicts).toBe(both.duplicates + both.conflicts);
      }),
      fcParams,
    );
  });
});
