import { findGaps, GroundTruth, verify } from '@secondrow/simulator';
import { describe, expect, it } from 'vitest';

const s = (t: number, x = 0.001, y = -0.002, z = 1) => ({ t, x, y, z });

function truthOf(...samples: ReturnType<typeof s>[]): GroundTruth {
  const truth = new GroundTruth(0.001);
  for (const sample of samples) truth.record('d', sample);
  return truth;
}

describe('verify()', () => {
  it('passes when the table holds exactly what was produced, in any order', () => {
    const truth = truthOf(s(1), s(2), s(3));
    const result = verify(new Map([['d', [s(3), s(1), s(2)]]]), truth);
    expect(result).toMatchObject({
      produced: 3,
      distinct: 3,
      stored: 3,
      matched: 3,
      lost: 0,
      duplicated: 0,
      ok: true,
    });
  });

  it('compares values on the resolution grid, so float noise is not a difference', () => {
    const truth = truthOf(s(1, 0.184));
    expect(verify(new Map([['d', [s(1, 0.18400000035762787)]]]), truth).ok).toBe(true);
  });

  it('counts lost samples', () => {
    const result = verify(new Map([['d', [s(1)]]]), truthOf(s(1), s(2)));
    expect(result).toMatchObject({ lost: 1, duplicated: 0, ok: false });
    expect(result.problems[0]).toContain('t=2 lost');
  });

  it('counts samples stored twice and samples never produced as duplicated', () => {
    const result = verify(
      new Map([
        ['d', [s(1), s(1), s(9)]],
        ['ghost', [s(5)]],
      ]),
      truthOf(s(1)),
    );
    expect(result).toMatchObject({ stored: 4, matched: 1, duplicated: 3, lost: 0, ok: false });
  });

  it('counts wrong values', () => {
    const result = verify(new Map([['d', [s(1, 0.5)]]]), truthOf(s(1, 0.501)));
    expect(result).toMatchObject({ wrongValues: 1, lost: 0, duplicated: 0, ok: false });
  });

  it('counts a sample produced twice once', () => {
    const truth = truthOf(s(1), s(2), s(1));
    expect(truth.produced).toBe(3);
    expect(truth.distinct).toBe(2);
    expect(verify(new Map([['d', [s(1), s(2)]]]), truth).ok).toBe(true);
  });
});

describe('findGaps()', () => {
  it('counts runs of source samples missing from the table', () => {
    const truth = truthOf(s(0), s(20), s(100), s(120), s(200));
    for (const t of [40, 60, 80, 140]) truth.recordDropped('d', t);
    expect(findGaps(new Set([0, 20, 100, 120, 200]), truth, 'd')).toEqual({ gaps: 2, missingSamples: 4 });
    // A lost sample is one more gap.
    expect(findGaps(new Set([20, 100, 120, 200]), truth, 'd')).toEqual({ gaps: 3, missingSamples: 5 });
  });
});
