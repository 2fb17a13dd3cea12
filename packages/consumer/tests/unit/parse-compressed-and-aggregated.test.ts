import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { parseRecord, type RecordPart } from '@secondrow/consumer';
import {
  avroBatch,
  gzip,
  jsonV1,
  kplAggregate,
  legacy2015,
  makeSamples,
  sampleKeys,
} from '@secondrow/devkit';
import { describe, expect, it } from 'vitest';
import { deaggregate, isKplAggregate } from '../../src/kpl.js';

const meta = { sequenceNumber: '495903382714902566', partitionKey: 'pk' };
const T0 = 1_700_000_000_000;

function only(bytes: Uint8Array, options = {}): RecordPart {
  const parsed = parseRecord(bytes, meta, options);
  expect(parsed.parts).toHaveLength(1);
  return parsed.parts[0] as RecordPart;
}

describe('parseRecord() with gzip', () => {
  it.each([
    ['JSON v1', () => jsonV1('w', makeSamples(T0, 10)), 'json-v1'],
    ['2015 app JSON', () => legacy2015('u', makeSamples(T0, 10)), 'legacy-2015'],
    ['an Avro batch', () => avroBatch('w', makeSamples(T0, 10)), 'avro-batch'],
  ])('reads gzip-compressed %s', (_name, payload, format) => {
    const part = only(gzip(payload()));
    expect(part).toMatchObject({ ok: true, format, compressed: true });
    // Avro batches carry float32 values: compare on the 1 mg grid the rows are stored on.
    expect(part.ok && sampleKeys(part.samples)).toEqual(sampleKeys(makeSamples(T0, 10)));
  });

  it('refuses to inflate beyond maxRecordBytes (zip bomb) and keeps the compressed bytes', () => {
    // 64 MB of spaces compress to ~64 KB.
    const bomb = gzip(Buffer.alloc(64 * 1024 * 1024, 0x20));
    const part = only(bomb, { maxRecordBytes: 1024 * 1024 });
    expect(part.ok).toBe(false);
    expect(!part.ok && part.error.code).toBe('TOO_LARGE');
    expect(!part.ok && part.raw).toBe(bomb);
  });

  it('rejects corrupt gzip as undecodable', () => {
    const bytes = gzip(jsonV1('w', makeSamples(T0, 10)));
    const corrupt = Uint8Array.from(bytes);
    corrupt[20] = (corrupt[20] as number) ^ 0xff;
    const part = only(corrupt);
    expect(!part.ok && part.error.code).toBe('UNDECODABLE');
    expect(only(bytes.subarray(0, 15)).ok).toBe(false);
  });

  it('does not take raw deflate for gzip', () => {
    const part = only(deflateSync(jsonV1('w', makeSamples(T0, 2))));
    expect(!part.ok && part.error.code).toBe('UNKNOWN_FORMAT');
  });

  it('rejects gzip inside gzip', () => {
    const part = only(gzip(gzip(jsonV1('w', makeSamples(T0, 2)))));
    expect(!part.ok && part.error.code).toBe('UNKNOWN_FORMAT');
  });
});

describe('parseRecord() with KPL aggregated records', () => {
  it('parses each user record on its own, with its sub-sequence number', async () => {
    // Prepare
    const aggregateBytes = await kplAggregate([
      jsonV1('a', makeSamples(T0, 3)),
      gzip(legacy2015('b', makeSamples(T0, 4))),
      '{"deviceId": "c", "samples": [[1, 2, 3]]}',
      avroBatch('d', makeSamples(T0, 5)),
    ]);
    expect(isKplAggregate(aggregateBytes)).toBe(true);
    // Act
    const parsed = parseRecord(aggregateBytes, meta);
    // Assess
    expect(parsed.aggregated).toBe(true);
    expect(parsed.sequenceNumber).toBe(meta.sequenceNumber);
    expect(parsed.parts.map((p) => [p.subSequenceNumber, p.ok])).toEqual([
      [0, true],
      [1, true],
      [2, false],
      [3, true],
    ]);
    expect(parsed.parts[1]).toMatchObject({ deviceId: 'b', format: 'legacy-2015', compressed: true });
    const bad = parsed.parts[2];
    expect(bad?.ok === false && Buffer.from(bad.raw).toString()).toBe(
      '{"deviceId": "c", "samples": [[1, 2, 3]]}',
    );
  });

  it('reads a gzip-compressed aggregate', async () => {
    const aggregateBytes = await kplAggregate([
      jsonV1('a', makeSamples(T0, 3)),
      jsonV1('b', makeSamples(T0, 3)),
    ]);
    const parsed = parseRecord(gzip(aggregateBytes), meta);
    expect(parsed.aggregated).toBe(true);
    expect(parsed.parts.map((p) => p.ok && p.deviceId)).toEqual(['a', 'b']);
  });

  it('rejects an aggregate whose checksum does not match, as a whole', async () => {
    const aggregateBytes = Uint8Array.from(await kplAggregate([jsonV1('a', makeSamples(T0, 3))]));
    aggregateBytes[aggregateBytes.length - 1] = (aggregateBytes[aggregateBytes.length - 1] as number) ^ 1;
    const parsed = parseRecord(aggregateBytes, meta);
    expect(parsed.parts).toHaveLength(1);
    expect(parsed.parts[0]).toMatchObject({
      ok: false,
      subSequenceNumber: undefined,
      error: { code: 'UNDECODABLE' },
    });
    expect(!parsed.parts[0]!.ok && parsed.parts[0]!.raw).toEqual(aggregateBytes);
  });

  it('rejects a truncated aggregate and an empty one', () => {
    const magic = Uint8Array.from([0xf3, 0x89, 0x9a, 0xc2]);
    expect(parseRecord(magic, meta).parts[0]?.ok).toBe(false);
    const empty = Buffer.concat([magic, createHash('md5').update(Buffer.alloc(0)).digest()]);
    expect(() => deaggregate(empty, meta)).toThrow(/no user records/);
  });
});
