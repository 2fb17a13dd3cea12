/**
 * `@secondrow/codec/dynamodb`: the DynamoDB row store. Needs the peer dependency `@aws-sdk/client-dynamodb`.
 *
 * @packageDocumentation
 */

// The codec's types that this entry's signatures use, so they can be named from here; type-only, so the
// classes and values stay those of the main entry (one copy of each, shared through tsup's chunks).
export type { Clock } from './clock.js';
export type { CodecError, CodecErrorCode } from './errors.js';
export type { SampleColumns } from './sample-columns.js';
export type { CreateTableOptions } from './store/create-table.js';
export { createTable } from './store/create-table.js';
export type {
  DevicePage,
  DeviceRange,
  DeviceRegistryOptions,
  FailedNote,
  ListDevicesOptions,
  NoteOptions,
  NoteReport,
} from './store/device-registry.js';
export { DeviceRegistry, REGISTRY_PARTITION } from './store/device-registry.js';
export type { ReadOptions } from './store/read.js';
export type { ColumnPage, ColumnPageRows, ReadColumnsOptions } from './store/read-columns.js';
export type {
  DeviceSamples,
  DeviceWriteOptions,
  SampleStoreOptions,
  StoredRow,
  WriteOptions,
} from './store/sample-store.js';
export { SampleStore } from './store/sample-store.js';
export type { StoreErrorCode } from './store/store-errors.js';
export { isStoreError, StoreError } from './store/store-errors.js';
export type { FailedRow, WriteReport } from './store/write-report.js';
/**
 * Report accumulators, internal to the store. Still exported only because `@secondrow/simulator`
 * (pipeline-probe) and the consumer's tests build reports with them; not part of the stable API.
 * @internal
 */
export { addReport, emptyReport } from './store/write-report.js';
export type { Row, Sample, WindowSeconds } from './types.js';
