import { decodeBatch, encodeBatch, type Sample } from '@secondrow/codec';
import { payloadBudget, splitBatch } from '@secondrow/simulator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const sample = (t: number): fc.Arbitrary<Sample> =>
  fc.record({
    t: fc.constant(t),
    x: fc.float({ min: -16, max: 16, noNaN: true }).map(Math.fround),
    y: fc.float({ min: -16, max: 16, noNaN: true }).map(Math.fround),
    z: fc.float({ min: -16, max: 16, noNaN: true }).map(Math.fround),
  });
const samples = fc
  .tuple(fc.integer({ min: 0, max: 1_200 }), fc.integer({ min: 1, max: 40 }))
  .chain(([n, step]) =>
    fc.tuple(...Array.from({ length: n }, (_, i) => sample(1_700_000_000_000 + i * step))),
  );

describe('splitBatch()', () => {
  it('law: the parts decode to the batch, in order, each within the budget when it has more than one sample', () => {
    fc.assert(
      fc.property(samples, fc.integer({ min: 64, max: 20_000 }), (s, maxBytes) => {
        const batch = { deviceId: 'us-east-1:d', batchId: '7', sentAt: 1_700_000_100_000, samples: s };
        const parts = splitBatch(batch, maxBytes);
        const decoded = parts.map((p) => decodeBatch(p.data));
        expect(decoded.flatMap((d) => d.samples)).toEqual(s);
        for (const [i, p] of parts.entries()) {
          expect(decoded[i]).toMatchObject({
            deviceId: 'us-east-1:d',
            batchId: p.batchId,
            sentAt: batch.sentAt,
          });
          if (p.samples.length > 1) expect(p.data.byteLength).toBeLessThanOrEqual(maxBytes);
        }
        expect(new Set(parts.map((p) => p.batchId)).size).toBe(parts.length);
        // A batch that fits is sent whole, byte for byte.
        const whole = encodeBatch(batch);
        if (whole.byteLength <= maxBytes) expect(parts).toEqual([{ batchId: '7', samples: s, data: whole }]);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the watch batches of 200 samples whole within one 5 KB unit with the device topic', () => {
    const s = Array.from({ length: 200 }, (_, i) => ({
      t: 1_700_000_000_000 + i * 20,
      x: 0.5,
      y: -0.25,
      z: 1,
    }));
    const parts = splitBatch({ deviceId: 'd', batchId: '1', sentAt: 0, samples: s }, payloadBudget(92));
    expect(parts).toHaveLength(1);
  });
});
