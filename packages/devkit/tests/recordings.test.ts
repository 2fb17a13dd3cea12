import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecordingFormatError, RecordingNotFoundError } from '../src/errors.js';
import {
  listRecordings,
  parseRecording,
  readRecording,
  recordingFiles,
  recordingsDir,
} from '../src/recordings.js';

describe('parseRecording()', () => {
  it('reads t_ms,x,y,z with or without a header, skipping blank and # lines', () => {
    expect(parseRecording('# from a watch\nt_ms,x,y,z\n1000,0.5,-1,0\n\n1020,1,2,3\r\n', 'a.csv')).toEqual([
      { t: 1000, x: 0.5, y: -1, z: 0 },
      { t: 1020, x: 1, y: 2, z: 3 },
    ]);
    expect(parseRecording('5,1,1,1', 'b.csv')).toEqual([{ t: 5, x: 1, y: 1, z: 1 }]);
  });

  it.each([
    ['t_ms,x,y,z\n1000,0,0,1\n1000.5,0,0,1\n', 3, /t_ms must be a non-negative integer/],
    ['1000,0,0\n', 1, /expected 4 comma-separated fields/],
    ['1000,0,,1\n', 1, /a field is empty/],
    ['1000,0,NaN,1\n', 1, /finite numbers/],
    ['-5,0,0,1\n', 1, /non-negative integer/],
    ['t_ms,x,y,z\n', 0, /no samples/],
  ])('rejects %j naming file and line %i', (text, line, reason) => {
    const act = () => parseRecording(text, 'bad.csv');
    expect(act).toThrow(RecordingFormatError);
    expect(act).toThrow(reason);
    expect(act).toThrow(line > 0 ? `bad.csv:${line}:` : 'bad.csv: no samples');
    try {
      act();
    } catch (error) {
      expect((error as RecordingFormatError).line).toBe(line);
      expect((error as RecordingFormatError).code).toBe('RECORDING_FORMAT');
    }
  });

  it('checks strict order only when asked', () => {
    const text = '10,0,0,1\n10,0,0,1\n';
    expect(parseRecording(text, 'r.csv')).toHaveLength(2);
    expect(() => parseRecording(text, 'r.csv', { strictlyIncreasing: true })).toThrow(
      'r.csv:2: t_ms must strictly increase',
    );
  });

  it('reads back every sample it is given as text', () => {
    const sample = fc.record({
      t: fc.integer({ min: 0, max: 2 ** 45 }),
      x: fc.double({ noNaN: true, noDefaultInfinity: true }),
      y: fc.double({ noNaN: true, noDefaultInfinity: true }),
      z: fc.double({ noNaN: true, noDefaultInfinity: true }),
    });
    fc.assert(
      fc.property(fc.array(sample, { minLength: 1, maxLength: 50 }), (samples) => {
        const text = `t_ms,x,y,z\n${samples.map((s) => `${s.t},${s.x},${s.y},${s.z}`).join('\n')}\n`;
        // -0 prints as "0": compare numerically.
        const parsed = parseRecording(text, 'p.csv');
        expect(parsed.map((s) => [s.t, s.x + 0, s.y + 0, s.z + 0])).toEqual(
          samples.map((s) => [s.t, s.x + 0, s.y + 0, s.z + 0]),
        );
      }),
    );
  });
});

describe('the shipped recordings', () => {
  it('are the five files of data/accel, with their README and licence beside them', () => {
    const recordings = listRecordings();
    expect(recordings.map((r) => r.name)).toEqual([
      'applewatch_lay_20hz.csv',
      'applewatch_sit_20hz.csv',
      'applewatch_walk_25hz.csv',
      'wearos_tug_s02_50hz.csv',
      'wearos_tug_s09_50hz.csv',
    ]);
    // Sample counts as the README states them.
    expect(recordings.map((r) => r.samples.length)).toEqual([4057, 3023, 7377, 5368, 5284]);
    expect(recordingFiles(join(recordingsDir(), 'README.md'))).toEqual([join(recordingsDir(), 'README.md')]);
  });
});

describe('readRecording() and recordingFiles()', () => {
  it('name the missing path', () => {
    const missing = join(tmpdir(), 'no-such-recording.csv');
    expect(() => readRecording(missing)).toThrow(RecordingNotFoundError);
    expect(() => recordingFiles(missing)).toThrow(missing);
  });

  it('reject a folder without .csv files and name a malformed file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'devkit-rec-'));
    try {
      expect(() => listRecordings(dir)).toThrow(/no \.csv files/);
      writeFileSync(join(dir, 'x.csv'), 't_ms,x,y,z\n1,2,3\n');
      expect(() => listRecordings(dir)).toThrow('x.csv:2:');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
