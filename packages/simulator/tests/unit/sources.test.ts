import {
  BUNDLED_CLIP_PATH,
  CsvFormatError,
  createCsvReplaySource,
  createMotionSource,
  InvalidSimulatorOptionError,
  loadAccelCsv,
  MOTION_ACTIVITIES,
  Prng,
  parseAccelCsv,
  parseSourceSpec,
  WATCH_SENSOR,
} from '@secondrow/simulator';
import { describe, expect, it } from 'vitest';

describe('parseAccelCsv()', () => {
  it('reads t_ms,x,y,z with or without a header', () => {
    expect(parseAccelCsv('t_ms,x,y,z\n10,0.1,0.2,0.3\n30,1,2,3\n')).toEqual([
      { t: 10, x: 0.1, y: 0.2, z: 0.3 },
      { t: 30, x: 1, y: 2, z: 3 },
    ]);
    expect(parseAccelCsv('10,0,0,1\r\n20,0,0,1')).toHaveLength(2);
  });

  it('names the bad line', () => {
    expect(() => parseAccelCsv('t_ms,x,y,z\n10,0,0,1\n5,0,0,1')).toThrow(
      /recording:3: t_ms must strictly increase/,
    );
    expect(() => parseAccelCsv('10,0,0\n20,0,0,1')).toThrow(CsvFormatError);
    expect(() => parseAccelCsv('10.5,0,0,1\n20,0,0,1')).toThrow(/integer/);
    expect(() => parseAccelCsv('10,a,0,1\n20,0,0,1')).toThrow(
      /recording:1: x, y and z must be finite numbers/,
    );
  });

  it('loads the bundled clip: about 60 s at 50 Hz', () => {
    const clip = loadAccelCsv(BUNDLED_CLIP_PATH);
    expect(clip.length).toBeGreaterThan(2900);
    const seconds = ((clip.at(-1)?.t ?? 0) - (clip[0]?.t ?? 0)) / 1000;
    expect(seconds).toBeGreaterThan(55);
    expect(seconds).toBeLessThan(65);
  });
});

describe('createCsvReplaySource()', () => {
  const clip = parseAccelCsv('1000,0.1,0,1\n1020,0.2,0,1\n1045,0.3,0,1');

  it('shifts times to the start and keeps the original intervals', () => {
    const source = createCsvReplaySource({ clip, startMs: 50_000 });
    expect([source.next(), source.next(), source.next()].map((s) => [s.t, s.x])).toEqual([
      [50_000, 0.1],
      [50_020, 0.2],
      [50_045, 0.3],
    ]);
  });

  it('loops one median interval after the last sample, from any start index', () => {
    const source = createCsvReplaySource({ clip, startMs: 0, startIndex: 2 });
    const times = Array.from({ length: 5 }, () => source.next().t);
    expect(times).toEqual([0, 25, 45, 70, 95]);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1] ?? 0);
  });
});

describe('createMotionSource()', () => {
  it.each(MOTION_ACTIVITIES)(
    '%s: regular times, sensor-quantized values, about 1 g on average',
    (activity) => {
      const source = createMotionSource({ activity, rateHz: 50, startMs: 1000, prng: new Prng(activity) });
      const samples = Array.from({ length: 500 }, () => source.next());
      expect(samples.slice(0, 3).map((s) => s.t)).toEqual([1000, 1020, 1040]);
      const step = (2 * WATCH_SENSOR.rangeG) / 2 ** WATCH_SENSOR.bits;
      for (const s of samples.slice(0, 20)) expect(Number.isInteger(s.x / step)).toBe(true);
      const mean = samples.reduce((m, s) => m + Math.hypot(s.x, s.y, s.z), 0) / samples.length;
      expect(mean).toBeGreaterThan(0.7);
      expect(mean).toBeLessThan(2);
    },
  );

  it('is reproducible from its seed, and still at rest moves only by noise', () => {
    const a = createMotionSource({ activity: 'rest', rateHz: 100, startMs: 0, prng: new Prng('r') });
    const b = createMotionSource({ activity: 'rest', rateHz: 100, startMs: 0, prng: new Prng('r') });
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    const spread = Math.max(...xs.map((s) => s.z)) - Math.min(...xs.map((s) => s.z));
    expect(spread).toBeLessThan(0.05);
    expect(xs[1]?.t).toBe(10);
  });

  it('rejects rates above 100 Hz', () => {
    expect(() =>
      createMotionSource({ activity: 'walk', rateHz: 101, startMs: 0, prng: new Prng(1) }),
    ).toThrow(InvalidSimulatorOptionError);
  });
});

describe('parseSourceSpec()', () => {
  it('understands every form', () => {
    expect(parseSourceSpec('mix')).toEqual({ kind: 'mix' });
    expect(parseSourceSpec('csv')).toEqual({ kind: 'csv' });
    expect(parseSourceSpec('csv:/x/y.txt')).toEqual({ kind: 'csv', path: '/x/y.txt' });
    expect(parseSourceSpec('data/a.csv')).toEqual({ kind: 'csv', path: 'data/a.csv' });
    expect(parseSourceSpec('synthetic:run')).toEqual({ kind: 'synthetic', activity: 'run' });
    expect(() => parseSourceSpec('synthetic:swim')).toThrow(InvalidSimulatorOptionError);
  });
});
