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
