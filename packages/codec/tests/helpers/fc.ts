import fc from 'fast-check';
import type { Sample, WindowSeconds } from '../../src/index.js';
import { WINDOW_SECONDS } from '../../src/index.js';

/** Runs per property: small by default, raised with FC_NUM_RUNS (e.g. `pnpm test:property`). */
export const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 100);

/** fast-check parameters shared by every property. */
export const fcParams = { numRuns: NUM_RUNS };

/** A UTC window start (ms) between 2015 and 2100, aligned to `windowSeconds`. */
export function windowStartArb(windowSeconds: WindowSeconds): fc.Arbitrary<number> {
  return fc.integer({ min: 1_420_070_400, max: 4_102_444_800 }).map((s) => (s - (s % windowSeconds)) * 1000);
}

/** Any finite value within ±range g. */
export function valueArb(range = 16): fc.Arbitrary<number> {
  return fc.double({ min: -range, max: range, noNaN: true, noDefaultInfinity: true });
}

/**
 * Samples of one window at up to `maxRateHz`: distinct times (jittery, any spacing) and any values.
 */
export function windowSamplesArb(
  maxRateHz = 100,
  range = 16,
  windows: readonly WindowSeconds[] = WINDOW_SECONDS.filter((w) => w <= 10),
): fc.Arbitrary<{ windowSeconds: WindowSeconds; startMs: number; samples: Sample[] }> {
  return fc
    .constantFrom(...windows)
    .chain((windowSeconds) =>
      fc.record({
        windowSeconds: fc.constant(windowSeconds),
        startMs: windowStartArb(windowSeconds),
        offsets: fc.uniqueArray(fc.integer({ min: 0, max: windowSeconds * 1000 - 1 }), {
          maxLength: maxRateHz * windowSeconds,
        }),
        values: fc.array(fc.tuple(valueArb(range), valueArb(range), valueArb(range)), {
          minLength: maxRateHz * windowSeconds,
          maxLength: maxRateHz * windowSeconds,
        }),
      }),
    )
    .map(({ windowSeconds, startMs, offsets, values }) => ({
      windowSeconds,
      startMs,
      samples: offsets.map((o, i) => {
        const [x, y, z] = values[i] as [number, number, number];
        return { t: startMs + o, x, y, z };
      }),
    }));
}

/** A smooth, sensor-like series of one window (random walk on the grid), optionally with jitter. */
export function smoothSamplesArb(windowSeconds: WindowSeconds, rateHz: number): fc.Arbitrary<Sample[]> {
  const n = rateHz * windowSeconds;
  return fc
    .record({
      startMs: windowStartArb(windowSeconds),
      start: fc.tuple(valueArb(2), valueArb(2), valueArb(2)),
      steps: fc.array(
        fc.tuple(
          fc.integer({ min: -40, max: 40 }),
          fc.integer({ min: -40, max: 40 }),
          fc.integer({ min: -40, max: 40 }),
        ),
        {
          minLength: n,
          maxLength: n,
        },
      ),
    })
    .map(({ startMs, start, steps }) => {
      let [x, y, z] = start;
      return steps.map(([dx, dy, dz], i) => {
        x = Math.max(-16, Math.min(16, x + dx / 1000));
        y = Math.max(-16, Math.min(16, y + dy / 1000));
        z = Math.max(-16, Math.min(16, z + dz / 1000));
        return { t: startMs + Math.floor((i * 1000) / rateHz), x, y, z };
      });
    });
}

/** Random bytes, `bytes`' first 10 bytes with a random tail, `bytes` with a few bytes flipped, or `bytes` cut short. */
export function mutatedBytesArb(bytes: Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.uint8Array({ maxLength: 300 }).map((tail) => new Uint8Array([...bytes.subarray(0, 10), ...tail])),
    fc
      .array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 })), {
        minLength: 1,
        maxLength: 4,
      })
      .map((flips) => {
        const copy = bytes.slice();
        for (const [at, mask] of flips) copy[at] = (copy[at] as number) ^ mask;
        return copy;
      }),
    fc.nat(bytes.length).map((cut) => bytes.slice(0, cut)),
  );
}

/** What `fn` returned, or the error it threw. */
export function attempt<T>(fn: () => T): { value?: T; error?: unknown } {
  try {
    return { value: fn() };
  } catch (error) {
    return { error };
  }
}
