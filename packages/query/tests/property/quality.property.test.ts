import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queryQuality, querySamples } from '../../src/index.js';
import { inRange, pageSizesArb, rangeArb, seriesArb } from '../helpers/arbitraries.js';
import { MemorySource } from '../helpers/memory-source.js';

const delay = fc.integer({ min: 0, max: 100_000 });

describe('queryQuality laws', () => {
  it('covers the range with steps whose coverage is in [0, 1], counts that add up and ordered percentiles', async () => {
    await fc.assert(
      fc.asyncProperty(
        seriesArb(20_000, 600),
        rangeArb(20_000),
        pageSizesArb,
        fc.integer({ min: 1, max: 8 }),
        fc.array(delay, { minLength: 1, maxLength: 30 }),
        async (cols, { fromMs, toMs }, pageSizes, stepSeconds, delays) => {
          const source = new MemorySource(
            { d: cols },
            {
              pageSizes,
              audit: (startMs) => {
                const k = (startMs / 1000) % delays.length;
                return {
                  firstWrittenMs: startMs + 1000 + delays[k]!,
                  arrivalMs: k % 3 === 0 ? Number.NaN : startMs + 1000,
                };
              },
            },
          );
          const stepMs = stepSeconds * 1000;
          const result = await queryQuality(source, {
            deviceId: 'd',
            fromMs,
            toMs,
            stepMs,
            consistentRead: false,
          });
          const expected = inRange(cols, fromMs, toMs);
          expect(result.steps).toHaveLength(Math.ceil((toMs - fromMs) / stepMs));
          expect(result.steps[0]!.fromMs).toBe(fromMs);
          expect(result.steps.at(-1)!.toMs).toBe(toMs);
          let samples = 0;
          let gapMs = 0;
          for (const [i, step] of result.steps.entries()) {
            if (i > 0) expect(step.fromMs).toBe(result.steps[i - 1]!.toMs);
            expect(step.coverage).toBeGreaterThanOrEqual(0);
            expect(step.coverage).toBeLessThanOrEqual(1);
            expect(step.gaps.longestMs).toBeLessThanOrEqual(step.gaps.totalMs);
            expect(step.gaps.totalMs).toBeLessThanOrEqual(step.toMs - step.fromMs);
            expect(step.rows).toBeLessThanOrEqual(step.samples);
            samples += step.samples;
            gapMs += step.gaps.totalMs;
            for (const figure of [step.latenessMs, step.arrivalToWriteMs]) {
              if (figure === null) continue;
              expect(figure.p50).toBeLessThanOrEqual(figure.p95);
              expect(figure.p95).toBeLessThanOrEqual(figure.max);
              expect(figure.rows).toBeLessThanOrEqual(step.rows);
            }
          }
          expect(samples).toBe(expected.t.length);
          // The steps split the range's gaps without losing or adding any time.
          const total = (
            await queryQuality(source, {
              deviceId: 'd',
              fromMs,
              toMs,
              stepMs: toMs - fromMs < 1000 ? 1000 : Math.ceil((toMs - fromMs) / 1000) * 1000,
              consistentRead: false,
            })
          ).steps.reduce((sum, s) => sum + s.gaps.totalMs, 0);
          expect(gapMs).toBe(total);
          if (result.total.latenessMs !== null) {
            expect(result.total.latenessMs.p50).toBeGreaterThanOrEqual(0);
            expect(result.total.latenessMs.max).toBeLessThanOrEqual(100_000 + 1000);
          }
        },
      ),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 100) },
    );
  });

  it("a samples query with qualityStepMs gives queryQuality's steps from the same single read", async () => {
    await fc.assert(
      fc.asyncProperty(
        seriesArb(20_000, 600),
        rangeArb(20_000),
        pageSizesArb,
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom('auto' as const, 'envelope' as const),
        fc.integer({ min: 1, max: 400 }),
        async (cols, { fromMs, toMs }, pageSizes, stepSeconds, mode, maxPoints) => {
          const source = new MemorySource(
            { d: cols },
            {
              pageSizes,
              audit: (startMs) => ({
                firstWrittenMs: startMs + 1000 + (startMs % 7000),
                arrivalMs: startMs + 500,
              }),
            },
          );
          const stepMs = stepSeconds * 1000;
          const query = { deviceId: 'd', fromMs, toMs, maxPoints, mode, consistentRead: false };
          const alone = await querySamples(source, query);
          const withSteps = await querySamples(source, { ...query, qualityStepMs: stepMs });
          const quality = await queryQuality(source, {
            deviceId: 'd',
            fromMs,
            toMs,
            stepMs,
            consistentRead: false,
          });
          const { deviceId: _d, fromMs: _f, toMs: _t, readUnits: qualityUnits, ...steps } = quality;
          expect(withSteps.qualitySteps).toEqual(steps);
          // One read: the steps cost nothing more than the samples alone, and the samples are unchanged.
          expect(withSteps.readUnits).toBe(alone.readUnits);
          expect(withSteps.readUnits).toBe(qualityUnits);
          const { qualitySteps: _s, ...samples } = withSteps;
          expect(samples).toEqual(alone);
        },
      ),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 100) },
    );
  });
});
