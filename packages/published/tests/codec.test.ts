// The built package (dist/ through its exports map, ESM and CJS), as users install it: the `published`
// project has no alias to src, so a build bug shows here.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import * as codec from '@secondrow/codec';
import * as dynamodb from '@secondrow/codec/dynamodb';
import { describe, expect, it } from 'vitest';
import { fixture, runNodeScript } from './helpers/node-process.js';

const require = createRequire(import.meta.url);
// The samples fixtures/codec.{mjs,cjs} pack: 120 at 50 Hz from T0, on the 1 mg grid.
const { samples, T0 } = require('../fixtures/codec-checks.cjs') as { samples: codec.Sample[]; T0: number };

interface FixtureOutput {
  rows: { startMs: number; samples: number }[];
  encodedBase64: string[];
  decoded: codec.Sample[];
  batch: codec.Batch;
  storeError: { name: string; instanceOfMainEntryClass: boolean; isCodecError: boolean };
}

type Codec = typeof codec;

/** A batch with its samples on the 1 mg grid: batches carry float32 values. */
function onGrid(batch: codec.Batch): codec.Batch {
  const mg = (v: number): number => Math.round(v * 1000) / 1000;
  return { ...batch, samples: batch.samples.map((s) => ({ t: s.t, x: mg(s.x), y: mg(s.y), z: mg(s.z) })) };
}
type DynamoDb = typeof dynamodb;

describe.each([
  ['ESM import', codec, dynamodb],
  [
    'CommonJS require',
    require('@secondrow/codec') as Codec,
    require('@secondrow/codec/dynamodb') as DynamoDb,
  ],
])('@secondrow/codec through %s', (_loader, api, store) => {
  it('round-trips a row through encodeRow and decodeRow', () => {
    const [row] = api.packRows(samples.slice(0, 50));
    expect(row).toBeDefined();
    const decoded = api.decodeRow(api.encodeRow(row as codec.Row));
    expect(decoded).toEqual(row);
    expect(decoded.samples).toEqual(samples.slice(0, 50));
  });

  it('packs samples into one row per second', () => {
    const rows = api.packRows(samples, { windowSeconds: 1 });
    expect(rows.map((row) => [row.startMs, row.samples.length])).toEqual([
      [T0, 50],
      [T0 + 1_000, 50],
      [T0 + 2_000, 20],
    ]);
    expect(api.unpackRows(rows)).toEqual(samples);
  });

  it('round-trips a producer batch', () => {
    const batch = { deviceId: 'watch-1', batchId: 'b1', sentAt: T0 + 5_000, samples };
    const bytes = api.encodeBatch(batch);
    expect(api.isBatchBytes(bytes)).toBe(true);
    expect(onGrid(api.decodeBatch(bytes))).toEqual(batch);
  });

  it('throws its typed errors, with a stable code', () => {
    expect(() => api.decodeRow(Uint8Array.of(1, 2, 3))).toThrow(api.DecodeError);
    expect(() => api.packRows([{ t: T0, x: Number.NaN, y: 0, z: 0 }])).toThrow(api.InvalidSampleError);
  });

  it('throws from /dynamodb the same error classes the main entry exports', () => {
    let thrown: unknown;
    try {
      new store.SampleStore({ client: undefined as never, tableName: 'rows', maxAttempts: 0 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(api.InvalidOptionError);
    expect(thrown).toBeInstanceOf(api.CodecError);
    expect(api.isCodecError(thrown)).toBe(true);
  });
});

describe.each([
  ['ESM', 'codec.mjs'],
  ['CommonJS', 'codec.cjs'],
])('@secondrow/codec in a Node process (%s)', (_loader, script) => {
  it('packs, encodes, decodes and shares one copy of its error classes with /dynamodb', async () => {
    const out = (await runNodeScript(fixture(script))) as FixtureOutput;
    const rows = codec.packRows(samples, { windowSeconds: 1 });
    expect(out.rows).toEqual(rows.map((row) => ({ startMs: row.startMs, samples: row.samples.length })));
    // Same bytes as the build loaded here: both module formats encode identically.
    expect(out.encodedBase64).toEqual(
      rows.map((row) => Buffer.from(codec.encodeRow(row)).toString('base64')),
    );
    expect(out.decoded).toEqual(samples);
    expect(onGrid(out.batch)).toEqual({ deviceId: 'watch-1', batchId: 'b1', sentAt: T0 + 5_000, samples });
    expect(out.storeError).toEqual({
      name: 'InvalidOptionError',
      instanceOfMainEntryClass: true,
      isCodecError: true,
    });
  });
});

describe('@secondrow/codec package contents', () => {
  it('ships the format, the schemas and the reference reader beside dist', async () => {
    const dir = dirname(require.resolve('@secondrow/codec/package.json'));
    const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: dir,
    });
    const files = (JSON.parse(stdout) as [{ files: { path: string }[] }])[0].files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining([
        'FORMAT.md',
        'schema/row.avsc',
        'schema/batch.avsc',
        'reference/secondrow_row.py',
        'dist/index.js',
        'dist/index.cjs',
      ]),
    );
    // Test tooling stays out: the second writer is for the codec's own tests.
    expect(
      files.filter((f) => !/^(dist|schema|reference)\/|^[A-Z]+\.md$|^LICENSE$|^package\.json$/.test(f)),
    ).toEqual([]);
  });
});
