/**
 * `@secondrow/codec/dynamodb`: the DynamoDB row store. Needs the peer dependency `@aws-sdk/client-dynamodb`.
 *
 * @packageDocumentation
 */

export type { CreateTableOptions } from './store/create-table.js';
export { createTable } from './store/create-table.js';
export { countGaps, estimateIntervalMs } from './store/gaps.js';
export type { ReadOptions } from './store/read.js';
export type { DeviceSamples, SampleStoreOptions, StoredRow, WriteOptions } from './store/sample-store.js';
export { SampleStore } from './store/sample-store.js';
export type { StoreErrorCode } from './store/store-errors.js';
export { isStoreError, StoreError } from './store/store-errors.js';
export type { FailedRow, WriteReport } from './store/write-report.js';
export { addReport, emptyReport } from './store/write-report.js';
