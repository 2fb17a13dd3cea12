import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SegmentedPages } from '../../src/segmented-pages.js';
import { readParts } from '../../src/store-source.js';

const runs = { numRuns: Number(process.env.FC_NUM_RUNS ?? 100) };

/** A part of `n` pages numbered from `first`, recording how far ahead of the consumer it has read. */
function part(first: number, n: number, log: { read: number[] }, failAt?: number): AsyncIterator<number> {
  let i = 0;
  return {
    async next() {
      await new Promise((resolve) => setImmediate(resolve));
      if (failAt !== undefined && i === failAt) throw new Error(`part at ${first} failed`);
      if (i >= n) return { done: true, value: undefined };
      log.read.push(first + i);
      return { done: false, value: first + i++ };
    },
  };
}

describe('readParts', () => {
  it('cuts a range into contiguous parts at window edges, each at least a page of windows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 5_000_000 }),
        fc.constantFrom(1000, 2000, 60_000),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 1, max: 8 }),
        (fromMs, span, windowMs, pageSize, segments) => {
          const toMs = fromMs + span;
          const parts = readParts(fromMs, toMs, windowMs, pageSize, segments);
          expect(parts.length).toBeGreaterThanOrEqual(1);
          expect(parts.length).toBeLessThanOrEqual(segments);
          expect(parts[0]![0]).toBe(fromMs);
          expect(parts.at(-1)![1]).toBe(toMs);
          for (const [i, [a, b]] of parts.entries()) {
            expect(a).toBeLessThan(b);
            if (i > 0) {
              expect(a).toBe(parts[i - 1]![1]);
              expect(a % windowMs).toBe(0);
            }
          }
          if (parts.length > 1) {
            const windows = Math.ceil(toMs / windowMs) - Math.floor(fromMs / windowMs);
            expect(windows).toBeGreaterThanOrEqual(parts.length * pageSize);
          }
        },
      ),
      runs,
    );
  });
});

describe('SegmentedPages', () => {
  it('hands over every page in part order, no later part more than readAhead pages ahead', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 4 }),
        async (sizes, readAhead) => {
          const log = { read: [] as number[] };
          const firsts = sizes.map((_, i) => i * 100);
          const segmented = new SegmentedPages(
            sizes.map((n, i) => part(firsts[i]!, n, log)),
            readAhead,
          );
          const seen: number[] = [];
          for await (const page of segmented.pages()) {
            // Pages read but not yet handed over, per later part: bounded by readAhead (+1 in flight).
            const current = Math.floor(page / 100);
            for (let p = current + 1; p < sizes.length; p++) {
              const ahead = log.read.filter((r) => Math.floor(r / 100) === p).length;
              expect(ahead).toBeLessThanOrEqual(readAhead + 1);
            }
            seen.push(page);
          }
          await segmented.close();
          expect(seen).toEqual(sizes.flatMap((n, i) => Array.from({ length: n }, (_, k) => firsts[i]! + k)));
        },
      ),
      runs,
    );
  });

  it('throws a part’s failure, and close stops the other reads and releases every part', async () => {
    const log = { read: [] as number[] };
    let released = 0;
    const tracked = (it: AsyncIterator<number>): AsyncIterator<number> => ({
      next: () => it.next(),
      return: async () => {
        released++;
        return { done: true, value: undefined };
      },
    });
    const segmented = new SegmentedPages(
      [tracked(part(0, 50, log)), tracked(part(100, 50, log, 1)), tracked(part(200, 50, log))],
      2,
    );
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const page of segmented.pages()) seen.push(page);
      })(),
    ).rejects.toThrow('part at 100 failed');
    await segmented.close();
    expect(released).toBe(3);
    // The failure surfaced while the first part was still being handed over.
    expect(seen.length).toBeLessThan(50);
    const after = log.read.length;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(log.read.length).toBe(after);
  });
});
