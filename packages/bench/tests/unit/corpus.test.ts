import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BUNDLED_DATA_PATH,
  cleanSeries,
  deviceIdFor,
  loadRecordings,
  occupiedSeconds,
} from '../../src/corpus.js';
import { DataError } from '../../src/errors.js';
import { lambdaInvocations, workload } from '../../src/strategies.js';
import { syntheticCorpus } from '../../src/synthetic.js';

describe('loadRecordings() of a malformed file', () => {
  it("reports the devkit parser's error as a DataError naming file and line", () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'bench-corpus-'));
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 't_ms,x,y,z\n1000,0,0,1\n1000.5,0,0,1\n');
    try {
      // Act
      const act = () => loadRecordings(file);
      // Assess
      expect(act).toThrow(DataError);
      expect(act).toThrow('bad.csv:3');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cleanSeries()', () => {
  it('sorts and keeps the first sample of each time', () => {
    // Act
    const clean = cleanSeries([
      { t: 2, x: 0, y: 0, z: 0 },
      { t: 1, x: 1, y: 0, z: 0 },
      { t: 2, x: 9, y: 9, z: 9 },
    ]);
    // Assess
    expect(clean.samples.map((s) => s.t)).toEqual([1, 2]);
    expect(clean.dropped).toBe(1);
  });
});

describe('loadRecordings()', () => {
  it('loads the bundled 60 s clip as one 50 Hz device', () => {
    // Act
    const corpus = loadRecordings(BUNDLED_DATA_PATH);
    // Assess
    expect(corpus.devices).toHaveLength(1);
    expect(corpus.samples).toBe(3002);
    expect(corpus.deviceSeconds).toBe(occupiedSeconds(corpus.devices[0]!.samples));
    expect(corpus.devices[0]!.deviceId).toBe(deviceIdFor('wearos_tug_s02_50hz_60s.csv'));
    expect(corpus.devices[0]!.deviceId).toHaveLength(46);
  });
});

describe('syntheticCorpus()', () => {
  it('is reproducible and has the requested rate', () => {
    // Act
    const a = syntheticCorpus({ rateHz: 100, devices: 2, seconds: 10 });
    const b = syntheticCorpus({ rateHz: 100, devices: 2, seconds: 10 });
    // Assess
    expect(a.devices).toEqual(b.devices);
    expect(a.samples).toBe(2000);
    // 10 s of samples starting anywhere in a second touch 10 or 11 seconds.
    expect(a.meanRateHz).toBeGreaterThan(90);
    expect(a.meanRateHz).toBeLessThanOrEqual(100.5);
    const t = a.devices[0]!.samples.map((s) => s.t);
    expect(t.every((v, i) => i === 0 || v > t[i - 1]!)).toBe(true);
  });
});

describe('workload() and lambdaInvocations()', () => {
  it('copies devices under new ids until the sample budget is reached', () => {
    // Prepare
    const corpus = syntheticCorpus({ rateHz: 50, devices: 1, seconds: 10 });
    // Act
    const segments = workload(corpus, 1200);
    // Assess
    expect(segments.map((s) => s.samples.length)).toEqual([500, 500, 200]);
    expect(new Set(segments.map((s) => s.deviceId)).size).toBe(3);
  });

  it('groups 200-sample phone batches by 30 s flush, or one per batch', () => {
    // Prepare: 100 s at 50 Hz = 25 batches of 200 samples (4 s each).
    const corpus = syntheticCorpus({ rateHz: 50, devices: 1, seconds: 100, startMs: 0 });
    const segments = workload(corpus, 5000);
    // Act
    const perFlush = lambdaInvocations(segments, 30);
    const perBatch = lambdaInvocations(segments, 0);
    // Assess
    expect(perBatch).toHaveLength(25);
    // 100 s starting somewhere in the first second: batches complete in 4 or 5 different 30 s flushes.
    expect(perFlush.length).toBeGreaterThanOrEqual(4);
    expect(perFlush.length).toBeLessThanOrEqual(5);
    expect(perFlush.flat().reduce((n, e) => n + e.samples.length, 0)).toBe(5000);
  });
});
