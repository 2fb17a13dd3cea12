import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawFault, type FaultOptions, validateFaultOptions } from '../../src/fault-injection/fault-plan.js';
import { seededRandom } from '../../src/fault-injection/random.js';

const KINDS = ['throttle', 'serverError', 'resetBeforeUpstream', 'resetAfterUpstream'] as const;

/** Four rates that sum to at most 1, as the proxy accepts them. */
const rates = fc
  .tuple(...KINDS.map(() => fc.integer({ min: 0, max: 1000 })), fc.integer({ min: 0, max: 1000 }))
  .map((weights) => {
    const total = weights.reduce((sum, w) => sum + w, 0) || 1;
    return Object.fromEntries(KINDS.map((kind, i) => [kind, (weights[i] ?? 0) / total])) as Required<
      Pick<FaultOptions, (typeof KINDS)[number]>
    >;
  });

describe('drawFault', () => {
  it('picks the kind whose interval of the cumulative rates holds the draw', () => {
    fc.assert(
      fc.property(rates, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (given, u) => {
        const options = validateFaultOptions(given);
        const decision = drawFault(options, 'PutItem', () => u);
        let edge = 0;
        let expected: (typeof KINDS)[number] | undefined;
        for (const kind of KINDS) {
          if (u >= edge && u < edge + given[kind]) {
            expected = kind;
            break;
          }
          edge += given[kind];
        }
        expect(decision.kind).toBe(expected);
      }),
    );
  });

  it('never injects a kind whose rate is 0, always injects a kind whose rate is 1', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), fc.integer(), (kind, seed) => {
        const random = seededRandom(seed);
        const always = validateFaultOptions({ [kind]: 1 });
        const never = validateFaultOptions({});
        for (let i = 0; i < 50; i++) {
          expect(drawFault(always, 'GetItem', random).kind).toBe(kind);
          expect(drawFault(never, 'GetItem', random).kind).toBeUndefined();
        }
      }),
    );
  });

  it('adds latency in [latencyMs, latencyMs + latencyJitterMs)', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(10_000), fc.integer(), (latencyMs, latencyJitterMs, seed) => {
        const decision = drawFault(
          validateFaultOptions({ latencyMs, latencyJitterMs }),
          'Query',
          seededRandom(seed),
        );
        expect(decision.latencyMs).toBeGreaterThanOrEqual(latencyMs);
        expect(decision.latencyMs).toBeLessThanOrEqual(latencyMs + latencyJitterMs);
        if (latencyJitterMs > 0) expect(decision.latencyMs).toBeLessThan(latencyMs + latencyJitterMs);
      }),
    );
  });

  it('leaves operations outside the filter alone and draws nothing for them', () => {
    let draws = 0;
    const options = validateFaultOptions({ throttle: 1, latencyMs: 5, operations: ['PutItem'] });
    const decision = drawFault(options, 'GetItem', () => {
      draws++;
      return 0;
    });
    expect(decision).toEqual({ kind: undefined, serverStatus: 500, latencyMs: 0 });
    expect(draws).toBe(0);
  });

  it('gives the same decisions for the same seed', () => {
    fc.assert(
      fc.property(rates, fc.integer(), (given, seed) => {
        const options = validateFaultOptions({ ...given, latencyJitterMs: 10 });
        const run = (random: () => number) =>
          Array.from({ length: 20 }, () => drawFault(options, 'PutItem', random));
        expect(run(seededRandom(seed))).toEqual(run(seededRandom(seed)));
      }),
    );
  });
});

describe('seededRandom', () => {
  it('returns numbers in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const random = seededRandom(seed);
        for (let i = 0; i < 100; i++) {
          const u = random();
          expect(u >= 0 && u < 1).toBe(true);
        }
      }),
    );
  });
});
