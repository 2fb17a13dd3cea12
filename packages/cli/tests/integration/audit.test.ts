import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetAudit } from '../../src/audit.js';
import { runCli } from '../../src/run-cli.js';
import { keptDataset, series, T0, testIo } from '../helpers/dataset.js';

const TABLE = 'audit-test';
const RANGE = ['--from', String(T0), '--to', String(T0 + 60_000)];

describe('secondrow audit against a kept local table', () => {
  let dir = '';

  beforeAll(async () => {
    dir = await keptDataset(TABLE, [
      // watch-a: 60 s at 50 Hz with holes [10 s, 15 s) and [40 s, 40.2 s) (10 samples), written at once.
      {
        deviceId: 'watch-a',
        samples: series(60, [
          [10_000, 15_000],
          [40_000, 40_200],
        ]),
        nowMs: T0 + 70_000,
        arrivalMs: T0 + 65_000,
      },
      // watch-b: complete, but the second half of second 58 arrives in a later write: one late row.
      {
        deviceId: 'watch-b',
        samples: series(60).filter((s) => s.t < T0 + 58_500 || s.t >= T0 + 59_000),
        nowMs: T0 + 61_000,
        arrivalMs: T0 + 60_500,
      },
      {
        deviceId: 'watch-b',
        samples: series(60).filter((s) => s.t >= T0 + 58_500 && s.t < T0 + 59_000),
        nowMs: T0 + 90_000,
        arrivalMs: T0 + 89_000,
      },
    ]);
  });

  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  const audit = async (...flags: string[]): Promise<FleetAudit> => {
    const io = testIo();
    const code = await runCli(
      ['audit', '--local', dir, '--table', TABLE, ...RANGE, '--json', '--quiet', ...flags],
      io,
    );
    expect(io.stderr.text).toBe('');
    expect(code).toBe(0);
    return JSON.parse(io.stdout.text) as FleetAudit;
  };

  it('finds the gaps put in, with exact coverage, for every registered device and the fleet', async () => {
    // Act
    const result = await audit();
    // Assert
    const [a, b] = result.devices;
    expect(result.devices.map((d) => d.deviceId)).toEqual(['watch-a', 'watch-b']);
    expect(a).toMatchObject({
      samples: 3_000 - 250 - 10,
      intervalMs: 20,
      missing: 260,
      coverage: 2_740 / 3_000,
      // The 200 ms hole is 10 intervals: above the rule's 3, so a gap too.
      gaps: { count: 2, totalMs: 5_000 + 200, longestMs: 5_000 },
      rows: 55,
    });
    expect(b).toMatchObject({
      samples: 3_000,
      missing: 0,
      coverage: 1,
      gaps: { count: 0, totalMs: 0, longestMs: 0 },
      rows: 60,
      lateRows: 1,
    });
    expect(result.total).toMatchObject({
      samples: 5_740,
      missing: 260,
      coverage: 5_740 / 6_000,
      gaps: { count: 2, totalMs: 5_200, longestMs: 5_000 },
      rows: 115,
      lateRows: 1,
    });
  });

  it('measures bytes, write units and lateness from the stored rows', async () => {
    // Act
    const result = await audit('--device', 'watch-a');
    // Assert
    const [a] = result.devices;
    expect(result.devices).toHaveLength(1);
    expect(a?.itemBytes).toBeGreaterThan(55 * 100);
    // One-second rows at 50 Hz fit one write unit each.
    expect(a?.writeUnits).toBe(55);
    // Written at T0 + 70 s: the row of second k waited 70 - k s; arrival was 5 s before the write.
    expect(a?.lateness.arrivalToFirstWrite).toEqual({
      count: 55,
      p50: 5_000,
      p90: 5_000,
      p99: 5_000,
      max: 5_000,
    });
    expect(a?.lateness.sampleToFirstWrite?.max).toBe(70_000);
    expect(a?.lateness.sampleToFirstWrite?.count).toBe(55);
    expect(a?.lateRows).toBe(0);
    expect(result.notes.join(' ')).toMatch(
      /Duplicates dropped and conflicting samples .* not stored per row/,
    );
  });

  it('reports a device without data in the range as one gap over the whole range', async () => {
    // Act
    const result = await audit('--device', 'nobody');
    // Assert
    expect(result.devices[0]).toMatchObject({
      samples: 0,
      coverage: 0,
      rows: 0,
      gaps: { count: 1, totalMs: 60_000, longestMs: 60_000 },
      lateness: { sampleToFirstWrite: null, arrivalToFirstWrite: null },
    });
  });

  it('prints a text table with a line per device and the fleet', async () => {
    // Prepare
    const io = testIo();
    // Act
    const code = await runCli(['audit', '--local', dir, '--table', TABLE, ...RANGE, '--quiet'], io);
    // Assert
    expect(code).toBe(0);
    const lines = io.stdout.text.split('\n');
    expect(lines.find((l) => l.startsWith('watch-a'))).toMatch(/2,740 +91\.33 % +2 +5\.2 s +5\.0 s +55 /);
    expect(lines.find((l) => l.startsWith('fleet'))).toMatch(/5,740 +95\.67 % +2 /);
  });
});
