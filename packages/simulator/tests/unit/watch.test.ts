import {
  createMotionSource,
  GapInjector,
  GroundTruth,
  Prng,
  type SampleSource,
  toCodecGrid,
  Watch,
} from '@secondrow/simulator';
import { describe, expect, it } from 'vitest';

const START = 1_700_000_000_123;

function walk(rateHz = 50): SampleSource {
  return createMotionSource({ activity: 'walk', rateHz, startMs: START, prng: new Prng('watch') });
}

describe('Watch', () => {
  it('hands over batches of exactly 200 samples as soon as they are full', () => {
    // Prepare
    const watch = new Watch({ deviceId: 'd', source: walk(), endMs: START + 60_000 });
    // Act
    const early = watch.advanceTo(START + 3_900);
    const later = watch.advanceTo(START + 20_000);
    // Assess: 200 samples at 50 Hz take 4 s, so none is full at 3.9 s, five are at 20 s.
    expect(early).toEqual([]);
    expect(later.map((b) => b.samples.length)).toEqual([200, 200, 200, 200, 200]);
    expect(later.map((b) => b.seq)).toEqual([0, 1, 2, 3, 4]);
    for (const batch of later) expect(batch.handedAtMs).toBe(batch.samples[199]?.t);
  });

  it('does not align batches to seconds', () => {
    const watch = new Watch({ deviceId: 'd', source: walk(30), endMs: START + 60_000 });
    const batches = watch.finish();
    const firstTimes = batches.map((b) => (b.samples[0]?.t ?? 0) % 1000);
    expect(new Set(firstTimes).size).toBeGreaterThan(1);
    expect(firstTimes.some((ms) => ms !== 0)).toBe(true);
  });

  it('hands the last, short batch over at the end and stops at the end time', () => {
    const watch = new Watch({ deviceId: 'd', source: walk(), endMs: START + 10_000 });
    const batches = watch.finish();
    expect(batches.map((b) => b.samples.length)).toEqual([200, 200, 100]);
    expect(batches.at(-1)?.samples.at(-1)?.t).toBeLessThan(START + 10_000);
  });

  it('stamps samples with its skewed clock, on the codec grid, and records them as the truth', () => {
    const truth = new GroundTruth();
    const plain = new Watch({ deviceId: 'd', source: walk(), endMs: START + 5_000 }).finish();
    const skewed = new Watch({
      deviceId: 'd',
      source: walk(),
      endMs: START + 5_000,
      skewMs: -7_000,
      truth,
    }).finish();
    const a = plain[0]?.samples[0];
    const b = skewed[0]?.samples[0];
    expect(b?.t).toBe((a?.t ?? 0) - 7_000);
    expect(b?.x).toBe(toCodecGrid(b?.x ?? 0));
    expect(truth.produced).toBe(250);
    expect(truth.range('d')?.fromMs).toBe(b?.t);
  });

  it('drops the samples the gap fault picks and keeps their times apart from the truth', () => {
    const truth = new GroundTruth();
    const gaps = new GapInjector(new Prng('gaps'), 0.05, 5);
    const batches = new Watch({ deviceId: 'd', source: walk(), endMs: START + 20_000, gaps, truth }).finish();
    const sent = batches.reduce((n, b) => n + b.samples.length, 0);
    expect(gaps.dropped).toBeGreaterThan(0);
    expect(sent + gaps.dropped).toBe(1000);
    expect(truth.produced).toBe(sent);
    expect(truth.droppedTimes('d')).toHaveLength(gaps.dropped);
  });
});
