import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Sample } from '@secondrow/codec';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/run-cli.js';
import { PARQUET_ROW_GROUP } from '../../src/sample-sinks.js';
import { keptDataset, series, T0, testIo } from '../helpers/dataset.js';

const TABLE = 'export-test';
// 2,400 s at 50 Hz minus a 10 s hole: 119,500 samples, more than one Parquet row group and many Query pages.
const SAMPLES = series(2_400, [[600_000, 610_000]]);
const RANGE = ['--from', String(T0), '--to', String(T0 + 2_400_000)];

/** Stored values are multiples of 1 mg: equal within the resolution means equal after rounding to it. */
function expectSameSamples(actual: Sample[], expected: readonly Sample[]): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as Sample;
    const e = expected[i] as Sample;
    if (
      a.t !== e.t ||
      Math.abs(a.x - e.x) > 5e-4 ||
      Math.abs(a.y - e.y) > 5e-4 ||
      Math.abs(a.z - e.z) > 5e-4
    ) {
      expect({ index: i, sample: a }).toEqual({ index: i, sample: e });
    }
  }
}

describe('secondrow export against a kept local table', () => {
  let dir = '';

  beforeAll(async () => {
    dir = await keptDataset(TABLE, [{ deviceId: 'watch-1', samples: SAMPLES, nowMs: T0 + 3_000_000 }]);
  });

  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  const exportTo = async (file: string, ...flags: string[]): Promise<string> => {
    const io = testIo();
    const code = await runCli(
      [
        'export',
        '--local',
        dir,
        '--table',
        TABLE,
        '--device',
        'watch-1',
        ...RANGE,
        '--out',
        join(dir, file),
        ...flags,
      ],
      io,
    );
    expect(io.stderr.text).toContain('exported 119,500 samples');
    expect(code).toBe(0);
    return join(dir, file);
  };

  it('writes CSV that reads back as the stored samples', async () => {
    // Act
    const text = readFileSync(await exportTo('out.csv'), 'utf8');
    // Assert
    const [header, ...lines] = text.trimEnd().split('\n');
    expect(header).toBe('t_ms,x_g,y_g,z_g');
    const samples = lines.map((line) => {
      const [t, x, y, z] = line.split(',').map(Number) as [number, number, number, number];
      return { t, x, y, z };
    });
    expectSameSamples(samples, SAMPLES);
  });

  it('writes NDJSON with ISO times that reads back as the stored samples', async () => {
    // Act
    const text = readFileSync(await exportTo('out.ndjson', '--time', 'iso'), 'utf8');
    // Assert
    const samples = text
      .trimEnd()
      .split('\n')
      .map((line) => {
        const o = JSON.parse(line) as { t_utc: string; x_g: number; y_g: number; z_g: number };
        return { t: Date.parse(o.t_utc), x: o.x_g, y: o.y_g, z: o.z_g };
      });
    expectSameSamples(samples, SAMPLES);
  });

  it('writes Parquet in several row groups, with its schema and units, that reads back as the stored samples', async () => {
    // Act
    const bytes = readFileSync(await exportTo('out.parquet'));
    // Assert
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const metadata = parquetMetadata(file);
    expect(metadata.row_groups.length).toBe(Math.ceil(SAMPLES.length / PARQUET_ROW_GROUP));
    expect(metadata.schema.slice(1).map((e) => [e.name, e.type])).toEqual([
      ['t', 'INT64'],
      ['x_g', 'DOUBLE'],
      ['y_g', 'DOUBLE'],
      ['z_g', 'DOUBLE'],
    ]);
    expect(metadata.schema[1]?.logical_type).toEqual({
      type: 'TIMESTAMP',
      isAdjustedToUTC: true,
      unit: 'MILLIS',
    });
    const units = metadata.key_value_metadata?.find((kv) => kv.key === 'secondrow.units')?.value;
    expect(JSON.parse(units ?? '{}')).toMatchObject({ x_g: 'g', y_g: 'g', z_g: 'g' });
    const rows = (await parquetReadObjects({ file })) as { t: Date; x_g: number; y_g: number; z_g: number }[];
    expectSameSamples(
      rows.map((r) => ({ t: r.t.getTime(), x: r.x_g, y: r.y_g, z: r.z_g })),
      SAMPLES,
    );
  });

  it('exports only the samples inside [from, to)', async () => {
    // Prepare
    const io = testIo();
    // Act
    const code = await runCli(
      [
        'export',
        '--local',
        dir,
        '--table',
        TABLE,
        '--device',
        'watch-1',
        '--from',
        String(T0 + 1_010),
        '--to',
        String(T0 + 1_070),
        '--quiet',
      ],
      io,
    );
    // Assert
    expect(code).toBe(0);
    expect(io.stdout.text).toBe(
      `t_ms,x_g,y_g,z_g\n${SAMPLES.slice(51, 54)
        .map((s) => `${s.t},${s.x},${s.y},${s.z}`)
        .join('\n')}\n`,
    );
  });

  it('writes only the header for a device without data', async () => {
    // Prepare
    const io = testIo();
    // Act
    const code = await runCli(
      ['export', '--local', dir, '--table', TABLE, '--device', 'nobody', ...RANGE, '--quiet'],
      io,
    );
    // Assert
    expect(code).toBe(0);
    expect(io.stdout.text).toBe('t_ms,x_g,y_g,z_g\n');
  });
});

describe('secondrow export into a pipe that closes', () => {
  let dir = '';

  beforeAll(async () => {
    dir = await keptDataset(TABLE, [{ deviceId: 'watch-1', samples: series(60), nowMs: T0 + 70_000 }]);
  });

  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('stops quietly with status 0 when the reader goes away (| head)', async () => {
    // Prepare: a stdout that fails like a closed pipe on its first write
    const io = testIo();
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    const closedPipe = new Writable({ write: (_chunk, _encoding, callback) => callback(epipe) });
    closedPipe.on('error', () => {});
    const pageRows = ['--from', String(T0), '--to', String(T0 + 60_000), '--quiet'];
    // Act
    const code = await runCli(
      ['export', '--local', dir, '--table', TABLE, '--device', 'watch-1', ...pageRows],
      { ...io, stdout: closedPipe },
    );
    // Assert
    expect(code).toBe(0);
    expect(io.stderr.text).toBe('');
  });

  it('fails with status 1 naming the cause for any other write error', async () => {
    // Prepare
    const io = testIo();
    const full = Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    const disk = new Writable({ write: (_chunk, _encoding, callback) => callback(full) });
    disk.on('error', () => {});
    // Act
    const code = await runCli(
      [
        'export',
        '--local',
        dir,
        '--table',
        TABLE,
        '--device',
        'watch-1',
        '--from',
        String(T0),
        '--to',
        String(T0 + 60_000),
        '--quiet',
      ],
      { ...io, stdout: disk },
    );
    // Assert
    expect(code).toBe(1);
    expect(io.stderr.text).toMatch(/no space left on device \(WRITE_FAILED\)/);
  });
});
