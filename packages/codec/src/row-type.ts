import { SingleObjectType } from './avro.js';
import { ROW_SCHEMA } from './schema.js';

/** The Avro record of {@link ROW_SCHEMA}, as avsc reads and writes it. */
export interface RowRecord {
  startSeconds: number;
  windowSeconds: number;
  resolutionMicroG: number;
  count: number;
  duplicates: number;
  conflicts: number;
  periodMs: number;
  data: Uint8Array;
}

/**
 * The row type, built once at module load. Older row schemas, once there are any, are registered
 * here with `rowType.registerWriterSchema(...)` so rows written years ago keep decoding.
 */
export const rowType = new SingleObjectType<RowRecord>(ROW_SCHEMA, ['data']);

/** Most bytes of an Avro int and of an Avro long varint (32 and 64 bits in groups of 7), as Avro's Java reader. */
const INT_BYTES = 5;
const LONG_BYTES = 10;

/**
 * Varint lengths of the v1 row record's fields after its 10-byte header, in schema order: `startSeconds`
 * (long), six ints, and the long length of `data`.
 */
const FIELD_BYTES = [
  LONG_BYTES,
  INT_BYTES,
  INT_BYTES,
  INT_BYTES,
  INT_BYTES,
  INT_BYTES,
  INT_BYTES,
  LONG_BYTES,
];

/**
 * The first varint of a v1 row record that is longer than its type allows (FORMAT.md §1.3), as a message,
 * or undefined. avsc reads varints of any length; without this check a reader following the format (or
 * Avro's Java reader) would reject rows this one accepted. A row cut short is left to avsc to report.
 */
export function overlongRowVarint(bytes: Uint8Array, from: number): string | undefined {
  let pos = from;
  for (let field = 0; field < FIELD_BYTES.length; field++) {
    const max = FIELD_BYTES[field] as number;
    let length = 0;
    for (;;) {
      if (pos >= bytes.length) return undefined;
      length++;
      if (((bytes[pos++] as number) & 0x80) === 0) break;
      if (length === max) return `field ${field + 1} of the Avro record: varint longer than ${max} bytes`;
    }
  }
  return undefined;
}
