import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalForm, SingleObjectType } from '../../src/avro.js';
import { encodeRowV1 } from '../../src/encode.js';
import {
  BATCH_SCHEMA,
  BATCH_SCHEMA_FINGERPRINT,
  DecodeError,
  decodeRow,
  packRows,
  ROW_SCHEMA,
  ROW_SCHEMA_FINGERPRINT,
  ROW_V2_SCHEMA,
  ROW_V2_SCHEMA_FINGERPRINT,
  ROW_V2_SCHEMA_ID,
} from '../../src/index.js';
import type { RowRecord } from '../../src/row-type.js';
import { regularSamples } from '../helpers/factories.js';

const read = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as unknown;

describe('schemas', () => {
  it('ship as schema/*.avsc identical to the exported objects', () => {
    expect(read('../../schema/row.avsc')).toEqual(ROW_SCHEMA);
    expect(read('../../schema/batch.avsc')).toEqual(BATCH_SCHEMA);
  });

  it('have stable fingerprints', () => {
    // A change here means a new schema version: register the old one as a writer schema.
    expect(ROW_SCHEMA_FINGERPRINT).toBe('52d2d675b390de7a');
    expect(BATCH_SCHEMA_FINGERPRINT).toBe('5aa2952d6e4fd5f6');
  });

  it('register row format v2 under id 5 with the fingerprint of its canonical form, as FORMAT.md lists them', () => {
    const format = readFileSync(new URL('../../FORMAT.md', import.meta.url), 'utf8');
    expect(ROW_V2_SCHEMA_ID).toBe(5);
    expect(format).toContain(canonicalForm(ROW_V2_SCHEMA));
    expect(format).toContain(`\`${ROW_V2_SCHEMA_FINGERPRINT}\``);
    expect(ROW_V2_SCHEMA_FINGERPRINT).not.toBe(ROW_SCHEMA_FINGERPRINT);
  });
});

describe('schema evolution', () => {
  const nextSchema = read('../fixtures/row-with-sensor.avsc');
  const row = packRows(regularSamples(1_700_000_000_000, 50, 50))[0]!;

  it('lets a newer reader decode rows written with the current schema (new field takes its default)', () => {
    // Prepare: a v2 reader that knows v1 as a writer schema.
    const v2 = new SingleObjectType<RowRecord & { sensor: string }>(nextSchema, ['data']);
    v2.registerWriterSchema(ROW_SCHEMA);

    // Act
    const record = v2.decode(encodeRowV1(row), 'row');

    // Assess
    expect(record.sensor).toBe('');
    expect(record.count).toBe(50);
    expect(record.startSeconds).toBe(1_700_000_000);
  });

  it('rejects rows of an unregistered newer schema as UNKNOWN_SCHEMA, and reads them once registered', () => {
    const v2 = new SingleObjectType<RowRecord & { sensor: string }>(nextSchema, ['data']);
    const v1Record = new SingleObjectType<RowRecord>(ROW_SCHEMA, ['data']).decode(encodeRowV1(row), 'row');
    const v2Bytes = v2.encode({ ...v1Record, sensor: 'bmi160' });

    expect(() => decodeRow(v2Bytes)).toThrow(expect.objectContaining({ code: 'UNKNOWN_SCHEMA' }));
    expect(() => decodeRow(v2Bytes)).toThrow(DecodeError);

    const v1Reader = new SingleObjectType<RowRecord>(ROW_SCHEMA, ['data']);
    v1Reader.registerWriterSchema(nextSchema);
    expect(v1Reader.decode(v2Bytes, 'row').count).toBe(50);
  });
});
