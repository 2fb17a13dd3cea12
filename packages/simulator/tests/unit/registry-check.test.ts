import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRegistry, type DeviceSpan } from '../../src/registry-check.js';

const span = fc
  .tuple(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 1e6 }))
  .map(([firstMs, length]): DeviceSpan => ({ firstMs, lastMs: firstMs + length }));
const truthArb = fc.uniqueArray(fc.tuple(fc.string({ minLength: 1 }), span), {
  selector: ([id]) => id,
  minLength: 1,
  maxLength: 20,
});

describe('checkRegistry', () => {
  it('passes when every device is listed with a covering range, whatever else is listed', () => {
    fc.assert(
      fc.property(truthArb, fc.nat(3_600_000), fc.nat(1000), (entries, headroom, earlier) => {
        const truth = new Map(entries);
        const listed = new Map(
          entries.map(([id, s]) => [id, { firstMs: s.firstMs - earlier, lastMs: s.lastMs + headroom }]),
        );
        listed.set('another-run', { firstMs: 0, lastMs: 1 });
        expect(checkRegistry(truth, listed)).toEqual({
          devices: truth.size,
          listed: truth.size,
          missing: [],
          notCovering: [],
          ok: true,
        });
      }),
    );
  });

  it('fails naming a device left out or listed with a range that misses a sample', () => {
    fc.assert(
      fc.property(
        truthArb,
        fc.nat(),
        fc.constantFrom('missing', 'late start', 'early end'),
        (entries, pick, fault) => {
          const truth = new Map(entries);
          const listed = new Map(entries.map(([id, s]) => [id, { ...s }]));
          const [id, s] = entries[pick % entries.length]!;
          if (fault === 'missing') listed.delete(id);
          else if (fault === 'late start') listed.set(id, { firstMs: s.firstMs + 1, lastMs: s.lastMs + 1 });
          else listed.set(id, { firstMs: s.firstMs, lastMs: s.lastMs - 1 });
          const check = checkRegistry(truth, listed);
          expect(check.ok).toBe(false);
          if (fault === 'missing') {
            expect(check.missing).toEqual([id]);
            expect(check.listed).toBe(truth.size - 1);
          } else {
            expect(check.notCovering.map((d) => d.deviceId)).toEqual([id]);
          }
        },
      ),
    );
  });
});
