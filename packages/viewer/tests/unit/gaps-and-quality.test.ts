import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gapSpans } from '../../src/page/gap-shading.js';
import {
  countSeconds,
  delayText,
  LATE_AFTER_MS,
  lateDuplicateNote,
  lateRuns,
  missingSeconds,
  QUALITY_MAX_STEPS,
  qualityStepSeconds,
} from '../../src/page/quality-lane.js';

describe('gapSpans', () => {
  it('clips gaps to the view, maps them to pixels and keeps short ones 1 px wide', () => {
    const toPx = (ms: number) => ms / 10;
    expect(
      gapSpans(
        [
          [-500, 100],
          [300, 301],
          [900, 2000],
          [3000, 4000],
        ],
        0,
        1000,
        toPx,
      ),
    ).toEqual([
      [0, 10],
      [30, 1],
      [90, 10],
    ]);
  });
});

/** Brute force: touched seconds of [from, to) whose shown part one gap covers. */
function bruteMissing(gaps: Array<[number, number]>, from: number, to: number): number[] {
  const out: number[] = [];
  for (let s = Math.floor(from / 1000) * 1000; s < to; s += 1000) {
    const a = Math.max(s, from);
    const b = Math.min(s + 1000, to);
    if (gaps.some(([g0, g1]) => g0 <= a && b <= g1)) out.push(s);
  }
  return out;
}

const expand = (runs: Array<[number, number]>) =>
  runs.flatMap(([a, b]) => Array.from({ length: (b - a) / 1000 }, (_, i) => a + i * 1000));

describe('missingSeconds', () => {
  it('marks the whole seconds inside holes, including partly shown seconds at the range edges', () => {
    expect(missingSeconds([[5000, 8000]], 0, 20_000)).toEqual([[5000, 8000]]);
    expect(missingSeconds([[5010, 8000]], 0, 20_000)).toEqual([[6000, 8000]]);
    expect(missingSeconds([[500, 2500]], 500, 20_000)).toEqual([[0, 2000]]);
    expect(missingSeconds([[18_000, 19_500]], 0, 19_500)).toEqual([[18_000, 20_000]]);
    expect(missingSeconds([[5000, 5999]], 0, 20_000)).toEqual([]);
    expect(
      countSeconds([
        [5000, 8000],
        [9000, 10_000],
      ]),
    ).toBe(4);
  });

  it('agrees with a second-by-second check over disjoint ascending gaps', () => {
    const gapsArb = fc
      .uniqueArray(fc.integer({ min: 0, max: 30_000 }), { minLength: 0, maxLength: 12 })
      .map((points) => {
        const sorted = [...points].sort((a, b) => a - b);
        const gaps: Array<[number, number]> = [];
        for (let i = 0; i + 1 < sorted.length; i += 2) gaps.push([sorted[i]!, sorted[i + 1]!]);
        return gaps;
      });
    fc.assert(
      fc.property(
        gapsArb,
        fc.integer({ min: 0, max: 15_000 }),
        fc.integer({ min: 1, max: 15_000 }),
        (gaps, from, length) => {
          const to = from + length;
          expect(expand(missingSeconds(gaps, from, to))).toEqual(bruteMissing(gaps, from, to));
        },
      ),
    );
  });
});

describe('lateDuplicateNote', () => {
  const quality = {
    rows: 1,
    secondsWithData: 1,
    missingSeconds: 0,
    samples: 50,
    duplicates: null,
    conflicts: null,
    arrivalToWriteMs: null,
  };
  it('says plainly what the API does not measure', () => {
    expect(lateDuplicateNote({ ...quality, latenessMs: null })).toBe(
      'lateness: not measured; duplicates: not measured by this API',
    );
  });

  it('shows the lateness percentiles once the rows record their write times', () => {
    const latenessMs = { rows: 4, p50: 120, p95: 900, max: 1200 };
    expect(lateDuplicateNote({ ...quality, latenessMs })).toBe(
      'lateness p50 120 ms, p95 900 ms, max 1.2 s (4 rows); duplicates: not measured by this API',
    );
  });

  it('gives a delay in the unit that keeps it short', () => {
    expect([999, 1000, 119_999, 120_000, 7_200_000, 43_746_879].map(delayText)).toEqual([
      '999 ms',
      '1.0 s',
      '120.0 s',
      '2.0 min',
      '2.0 h',
      '12.2 h',
    ]);
  });
});

describe('qualityStepSeconds', () => {
  it('gives about one whole-second step per pixel, within the route limits', () => {
    expect(qualityStepSeconds({ fromMs: 0, toMs: 600_000 }, 1200)).toBe(1);
    expect(qualityStepSeconds({ fromMs: 0, toMs: 86_400_000 }, 1200)).toBe(72);
    expect(qualityStepSeconds({ fromMs: 0, toMs: 86_400_000 }, 5000)).toBe(60);
    expect(qualityStepSeconds({ fromMs: 0, toMs: 1e12 }, 1000)).toBe(86_400);
  });

  it('never asks more steps than the route answers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 86_400_000 * 30 }),
        fc.integer({ min: 0, max: 20_000 }),
        (span, width) => {
          const step = qualityStepSeconds({ fromMs: 0, toMs: span }, width) * 1000;
          expect(Number.isInteger(step / 1000)).toBe(true);
          expect(Math.ceil(span / step)).toBeLessThanOrEqual(QUALITY_MAX_STEPS);
        },
      ),
    );
  });
});

describe('lateRuns', () => {
  const step = (from: number, max: number | null) => ({
    from,
    to: from + 1000,
    latenessMs: max === null ? null : { rows: 1, p50: max, p95: max, max },
  });
  it('marks the steps whose slowest row passed the limit, merging neighbours', () => {
    const steps = [
      step(0, 500),
      step(1000, LATE_AFTER_MS + 1),
      step(2000, 60_000),
      step(3000, LATE_AFTER_MS),
      step(4000, null),
      step(5000, 20_000),
    ];
    expect(lateRuns(steps)).toEqual([
      [1000, 3000],
      [5000, 6000],
    ]);
    expect(lateRuns(steps, 100_000)).toEqual([]);
  });
});
