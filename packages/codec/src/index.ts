/**
 * `@secondrow/codec`: pack accelerometer samples into one compact Avro row per device and UTC
 * window, sized for one DynamoDB write unit. Pure: no I/O. The DynamoDB store is `@secondrow/codec/dynamodb`.
 *
 * @packageDocumentation
 */
export type { Batch } from './batch.js';
export { decodeBatch, encodeBatch, isBatchBytes, MAX_SENT_AT } from './batch.js';
export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export { decodeRow, decodeRowSteps } from './decode.js';
export { encodeRow, encodeRowSteps } from './encode.js';
export type { CodecErrorCode } from './errors.js';
export {
  CodecError,
  DecodeError,
  InvalidOptionError,
  InvalidSampleError,
  ItemError,
  isCodecError,
  WindowMismatchError,
} from './errors.js';
export type { CountMissingOptions, GapRangeOptions } from './gaps.js';
export { countMissing, DEFAULT_GAP_MIN_PERIODS, gapRanges, medianIntervalMs } from './gaps.js';
export type { AttributeValue, RowItem, TableDefinition, ToItemOptions } from './item.js';
export {
  fromItem,
  fromItemColumns,
  ITEM_ATTRIBUTES,
  MAX_ITEM_BYTES,
  tableDefinition,
  toItem,
} from './item.js';
export type { SizedAttributeValue, SizedItem } from './item-size.js';
export { itemSize, readUnits, writeUnits } from './item-size.js';
export { mergeRows, sameSamples } from './merge.js';
export { packRows, unpackRows, windowStartMs } from './pack.js';
export { DEFAULT_RANGE, DEFAULT_RESOLUTION, DEFAULT_WINDOW_SECONDS } from './quantize.js';
export type { RowMetadata } from './row-metadata.js';
export { metadataAttributes, ROW_METADATA_ATTRIBUTES, readMetadata } from './row-metadata.js';
export type { RowColumnsHeader } from './sample-columns.js';
export { decodeRowColumns, SampleColumns } from './sample-columns.js';
export {
  BATCH_SCHEMA,
  BATCH_SCHEMA_FINGERPRINT,
  ROW_SCHEMA,
  ROW_SCHEMA_FINGERPRINT,
  ROW_V2_SCHEMA,
  ROW_V2_SCHEMA_FINGERPRINT,
  ROW_V2_SCHEMA_ID,
} from './schema.js';
export type { PackOptions, Row, RowSteps, Sample, WindowSeconds } from './types.js';
export { WINDOW_SECONDS } from './types.js';
export { validateSamples } from './validate-samples.js';
