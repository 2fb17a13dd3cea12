import { medianIntervalMs } from '@secondrow/codec';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type EnvelopeResult,
  GapFinder,
  parseSamplesRequest,
  QueryError,
  querySamples,
  RequestError,
  type SamplesQuery,
  samplesBody,
} from '../../src/index.js';
import { inRange, pageSizesArb, rangeArb, seriesArb } from '../helpers/arbitraries.js';
import { MemorySource } from '../helpers/memory-source.js';

const query = (over: Partial<SamplesQuery> & Pick<SamplesQuery, 'fromMs' | 'toMs'>): SamplesQuery => ({
  deviceId: 'dev',
  maxPoints: 50,
  mode: 'envelope',
  consistentRead: false,
  ...over,
});

describe('raw mode', () => {
  it('returns exactly the samples the source has in range, across every cursor page', async () => {
    await fc.assert(
      fc.asyncProperty(
        seriesArb(),
        rangeArb(),
        pageSizesArb,
        fc.integer({ min: 1, max: 200 }),
        async (cols, { fromMs, toMs }, pageSizes, rawPageSamples) => {
          const source = new MemorySource({ dev: cols }, { pageSizes });
          const got = { t: [] as number[], x: [] as number[], y: [] as number[], z: [] as number[] };
          let resumeMs: number | undefined;
          let pages = 0;
          do {
            const q = query({ fromMs, toMs, mode: 'raw', ...(resumeMs === undefined ? {} : { resumeMs }) });
            const result = await querySamples(source, q, { rawPageSamples });
            if (result.mode !== 'raw') throw new Error('raw mode answered with an envelope');
            expect(result.t.length).toBeLessThanOrEqual(rawPageSamples);
            got.t.push(...result.t);
            got.x.push(...result.x);
            got.y.push(...result.y);
            got.z.push(...result.z);
            resumeMs = result.nextMs;
            pages++;
          } while (resumeMs !== undefined);
          expect(got).toEqual(inRange(cols, fromMs, toMs));
          expect(pages).toBe(Math.max(1, Math.ceil(got.t.length / rawPageSamples)));
        },
      ),
    );
  });
});

describe('envelope', () => {
  it('holds every sample within its bucket min/max and counts every sample once', async () => {
    await fc.assert(
      fc.asyncProperty(
        seriesArb(),
        rangeArb(),
        fc.integer({ min: 1, max: 300 }),
        pageSizesArb,
        async (cols, { fromMs, toMs }, maxPoints, pageSizes) => {
          const source = new MemorySource({ dev: cols }, { pageSizes });
          const q = query({ fromMs, toMs, maxPoints });
          const result = (await querySamples(source, q)) as EnvelopeResult;
          const env = result.envelope;
          const body = samplesBody(q, result);
          if (body.mode !== 'envelope') throw new Error('expected an envelope body');
          const samples = inRange(cols, fromMs, toMs);
          expect(env.count.length).toBeLessThanOrEqual(maxPoints);
          expect(env.count.reduce((a, b) => a + b, 0)).toBe(samples.t.length);
          const seen = new Uint32Array(env.count.length);
          for (let i = 0; i < samples.t.length; i++) {
            const b = Math.floor(((samples.t[i] as number) - fromMs) / env.bucketMs);
            seen[b] = (seen[b] as number) + 1;
            const { x, y, z } = { x: samples.x[i]!, y: samples.y[i]!, z: samples.z[i]! };
            const mag = Math.sqrt(x * x + y * y + z * z);
            expect(x).toBeGreaterThanOrEqual(env.xMin[b]!);
            expect(x).toBeLessThanOrEqual(env.xMax[b]!);
            expect(y).toBeGreaterThanOrEqual(env.yMin[b]!);
            expect(y).toBeLessThanOrEqual(env.yMax[b]!);
            expect(z).toBeGreaterThanOrEqual(env.zMin[b]!);
            expect(z).toBeLessThanOrEqual(env.zMax[b]!);
            expect(mag).toBeGreaterThanOrEqual(env.magMin[b]!);
            expect(mag).toBeLessThanOrEqual(env.magMax[b]!);
            // The JSON rounds outward, so it keeps the sample inside too (values on the 1 mg grid stay exact).
            expect(x).toBeGreaterThanOrEqual(body.xMin[b]!);
            expect(x).toBeLessThanOrEqual(body.xMax[b]!);
            expect(mag).toBeGreaterThanOrEqual(body.magMin[b]! - 1e-9);
            expect(mag).toBeLessThanOrEqual(body.magMax[b]! + 1e-9);
            expect(body.from + b * body.bucketMs).toBeLessThanOrEqual(samples.t[i]!);
            expect(samples.t[i]!).toBeLessThan(body.from + (b + 1) * body.bucketMs);
          }
          expect(Array.from(seen)).toEqual(Array.from(env.count));
          for (let b = 0; b < env.count.length; b++) {
            if (env.count[b] === 0) expect(body.xMin[b]).toBeNull();
          }
        },
      ),
    );
  });

  it('does not depend on how the source cuts its pages (envelope, auto and raw alike)', async () => {
    await fc.assert(
      fc.asyncProperty(
        seriesArb(10_000, 1500),
        rangeArb(),
        fc.integer({ min: 1, max: 300 }),
        fc.constantFrom('envelope' as const, 'auto' as const),
        pageSizesArb,
        pageSizesArb,
        async (cols, { fromMs, toMs }, maxPoints, mode, pagesA, pagesB) => {
          const q = query({ fromMs, toMs, maxPoints, mode });
          const a = await querySamples(
            new MemorySource({ dev: cols }, { pageSizes: pagesA, readUnitsPerPage: 0 }),
            q,
          );
          const b = await querySamples(
            new MemorySource({ dev: cols }, { pageSizes: pagesB, readUnitsPerPage: 0 }),
            q,
          );
          expect(a).toEqual(b);
          const fits = inRange(cols, fromMs, toMs).t.length <= maxPoints;
          expect(a.mode).toBe(mode === 'auto' && fits ? 'raw' : 'envelope');
        },
      ),
    );
  });
});

/** A regular series on `t0 + k·interval`, `k < n`, with runs of samples removed, and the holes it must show. */
const holedSeries = fc
  .record({
    t0: fc.integer({ min: 0, max: 1_000_000 }),
    interval: fc.integer({ min: 1, max: 40 }),
    runs: fc.array(fc.tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 12 })), {
      minLength: 1,
      maxLength: 12,
    }),
    leading: fc.integer({ min: 0, max: 8 }),
  })
  .map(({ t0, interval, runs, leading }) => {
    const kept: number[] = [];
    let k = leading;
    for (const [present, removed] of runs) {
      for (let i = 0; i < present; i++) kept.push(t0 + (k + i) * interval);
      k += present + removed;
    }
    const fromMs = t0;
    const toMs = t0 + k * interval;
    // Ground truth by the codec's documented rule, written from the runs, not from the times.
    const holes: Array<[number, number]> = [];
    if (leading > 3) holes.push([fromMs, t0 + leading * interval]);
    let at = leading;
    runs.forEach(([present, removed], i) => {
      at += present;
      const last = i === runs.length - 1;
      if (removed >= 3) holes.push([t0 + at * interval, last ? toMs : t0 + (at + removed) * interval]);
      at += removed;
    });
    return { times: Float64Array.from(kept), fromMs, toMs, interval, holes };
  });

function splitAdd(finder: GapFinder, times: Float64Array, cuts: number[]): void {
  let start = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    const end = Math.min(cut, times.length);
    finder.add(times, start, Math.max(start, end));
    start = Math.max(start, end);
  }
  finder.add(times, start, times.length);
}

describe('gaps', () => {
  const cutsArb = fc.array(fc.nat({ max: 400 }), { maxLength: 6 });

  it('are exactly the removed runs longer than the rule allows, with the nominal interval given', () => {
    fc.assert(
      fc.property(holedSeries, cutsArb, ({ times, fromMs, toMs, interval, holes }, cuts) => {
        const finder = new GapFinder({ fromMs, toMs, intervalMs: interval });
        splitAdd(finder, times, cuts);
        expect(finder.finish().ranges).toEqual(holes);
        // Every single page boundary, a hole's two ends in different pages included.
        for (let k = 0; k <= times.length; k++) {
          const split = new GapFinder({ fromMs, toMs, intervalMs: interval });
          splitAdd(split, times, [k]);
          expect(split.finish().ranges).toEqual(holes);
        }
      }),
    );
  });

  it('are exactly those holes when the interval is estimated, as long as the series is mostly regular', () => {
    fc.assert(
      fc.property(holedSeries, cutsArb, ({ times, fromMs, toMs, interval, holes }, cuts) => {
        fc.pre(medianIntervalMs(times) === interval);
        const finder = new GapFinder({ fromMs, toMs });
        splitAdd(finder, times, cuts);
        const list = finder.finish();
        expect(list.intervalMs).toBe(interval);
        expect(list.ranges).toEqual(holes);
      }),
    );
  });
});

describe('parseSamplesRequest', () => {
  const codes = new Set([
    'MISSING_PARAMETER',
    'INVALID_TIME',
    'EMPTY_RANGE',
    'INVALID_MAX_POINTS',
    'INVALID_MODE',
    'INVALID_PARAMETER',
    'RANGE_TOO_LARGE_FOR_RAW',
    'INVALID_CURSOR',
  ]);

  it('answers any query string with a query or a typed 400, never anything else', () => {
    const value = fc.oneof(
      fc.string(),
      fc.integer().map(String),
      fc.constantFrom('auto', 'raw', 'true', '2026-12-04'),
    );
    const name = fc.constantFrom('from', 'to', 'maxPoints', 'mode', 'cursor', 'consistent', 'other');
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 7 }), (pairs) => {
        const params = new URLSearchParams(pairs);
        try {
          const q = parseSamplesRequest('dev', params);
          expect(q.fromMs).toBeLessThan(q.toMs);
          expect(q.maxPoints).toBeGreaterThanOrEqual(1);
        } catch (error) {
          expect(error).toBeInstanceOf(RequestError);
          expect(error).toBeInstanceOf(QueryError);
          expect((error as RequestError).status).toBe(400);
          expect(codes.has((error as RequestError).code)).toBe(true);
        }
      }),
    );
  });

  it('refuses any time that is neither digits nor ISO-8601 with INVALID_TIME naming the parameter', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((s) => !/^\d+$/.test(s) && !/^\d{4}-/.test(s)),
        (garbage) => {
          const params = new URLSearchParams({ from: garbage, to: '1000' });
          expect(() => parseSamplesRequest('dev', params)).toThrow(
            expect.objectContaining({ code: 'INVALID_TIME', parameter: 'from' }),
          );
        },
      ),
    );
  });

  it('refuses any cursor it did not issue with INVALID_CURSOR', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (garbage) => {
        const params = new URLSearchParams({ cursor: garbage });
        expect(() => parseSamplesRequest('dev', params)).toThrow(
          expect.objectContaining({ code: 'INVALID_CURSOR' }),
        );
      }),
    );
  });
});
