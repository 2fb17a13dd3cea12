import { schemaFingerprint } from './avro.js';
import { ROW_V2_ID } from './row-header-v2.js';

/*
 * The schemas live here as objects (the package is pure: no file reads) and, identical, in
 * schema/*.avsc for other implementations; a unit test keeps the two in sync.
 */

/**
 * Avro schema of row format version 1 (the record after the 10-byte single-object header), which every row
 * written before version 2 holds; readers keep decoding it. Identical to `schema/row.avsc`; the `data` bit
 * stream is specified in FORMAT.md. Writers now write {@link ROW_V2_SCHEMA}.
 */
export const ROW_SCHEMA = {
  type: 'record',
  name: 'Row',
  namespace: 'secondrow.codec',
  doc: 'Accelerometer samples of one device in one UTC window. Bit-stream layout of `data`: see FORMAT.md.',
  fields: [
    {
      name: 'startSeconds',
      type: 'long',
      doc: 'Window start, epoch seconds (UTC); a multiple of windowSeconds.',
    },
    {
      name: 'windowSeconds',
      type: 'int',
      doc: 'Window length in seconds: 1, 2, 4, 5, 10, 15, 30 or 60.',
    },
    {
      name: 'resolutionMicroG',
      type: 'int',
      doc: 'Quantization step in micro-g (1000 = 1 mg); value in g = steps * resolutionMicroG / 1e6.',
    },
    { name: 'count', type: 'int', doc: 'Number of samples in data (0 .. windowSeconds * 1000).' },
    { name: 'duplicates', type: 'int', doc: 'Exact duplicates dropped while packing or merging.' },
    {
      name: 'conflicts',
      type: 'int',
      doc: 'Different samples at one time resolved by the smallest-(x, y, z) rule.',
    },
    {
      name: 'periodMs',
      type: 'int',
      doc: 'Nominal sample interval in ms used to predict timestamps (0 when count < 2).',
    },
    { name: 'data', type: 'bytes', doc: 'Bit stream: timestamps then x, y, z (FORMAT.md).' },
  ],
} as const;

/**
 * Row format version 2, the one writers write: the logical fields of a row, registered under
 * {@link ROW_V2_SCHEMA_ID} with the CRC-64-AVRO fingerprint {@link ROW_V2_SCHEMA_FINGERPRINT}. The bytes
 * are not Avro binary: FORMAT.md specifies them (a one-byte id and flags, the window start, varints and a
 * bit stream), leaving out the fields that hold their usual value.
 */
export const ROW_V2_SCHEMA = {
  type: 'record',
  name: 'RowV2',
  namespace: 'secondrow.codec',
  doc: 'Row format version 2; byte layout in FORMAT.md section 1.3 (header) and 1.4 (bit stream).',
  fields: [
    { name: 'startSeconds', type: 'long', doc: 'Window start, epoch seconds (UTC).' },
    { name: 'windowSeconds', type: 'int', doc: 'Window length in seconds (default 1).' },
    { name: 'resolutionMicroG', type: 'int', doc: 'Quantization step in micro-g (default 1000).' },
    { name: 'count', type: 'int', doc: 'Number of samples.' },
    { name: 'duplicates', type: 'int', doc: 'Exact duplicates dropped (default 0).' },
    { name: 'conflicts', type: 'int', doc: 'Conflicts resolved (default 0).' },
    { name: 'periodMs', type: 'int', doc: 'Nominal sample interval in ms (present when count >= 2).' },
    { name: 'data', type: 'bytes', doc: 'Bit stream v2: times then x, y, z (FORMAT.md).' },
  ],
} as const;

/** Schema id of {@link ROW_V2_SCHEMA}: the top three bits of a v2 row's first byte (`101`). */
export const ROW_V2_SCHEMA_ID: number = ROW_V2_ID;

/**
 * Avro schema of one producer batch (after the single-object header). Identical to `schema/batch.avsc`.
 */
export const BATCH_SCHEMA = {
  type: 'record',
  name: 'Batch',
  namespace: 'secondrow.codec',
  doc: 'One producer batch of raw samples, as sent to the stream. Layout of `samples`: see FORMAT.md.',
  fields: [
    { name: 'deviceId', type: 'string', doc: 'Device id (e.g. a Cognito identity id).' },
    { name: 'batchId', type: 'string', doc: 'Producer-chosen batch id, unique per device.' },
    { name: 'sentAt', type: 'long', doc: 'Send time, epoch milliseconds (UTC).' },
    { name: 'count', type: 'int', doc: 'Number of samples in samples.' },
    {
      name: 'samples',
      type: 'bytes',
      doc: 'count records: zigzag varint delta of t (ms, first from 0), then x, y, z as float32 little-endian (g).',
    },
  ],
} as const;

/** CRC-64-AVRO fingerprint of {@link ROW_SCHEMA}'s canonical form (row format v1), as 16 hex digits (most significant first). */
export const ROW_SCHEMA_FINGERPRINT: string = schemaFingerprint(ROW_SCHEMA);

/** CRC-64-AVRO fingerprint of {@link BATCH_SCHEMA}'s canonical form, as 16 hex digits (most significant first). */
export const BATCH_SCHEMA_FINGERPRINT: string = schemaFingerprint(BATCH_SCHEMA);

/** CRC-64-AVRO fingerprint of {@link ROW_V2_SCHEMA}'s canonical form, as 16 hex digits (most significant first). */
export const ROW_V2_SCHEMA_FINGERPRINT: string = schemaFingerprint(ROW_V2_SCHEMA);
