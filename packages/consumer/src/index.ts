export { type ConsumerConfig, DEFAULT_CONFIG, loadConfig } from './config.js';
export { gunzipBounded, isGzip } from './decompress.js';
export {
  ConfigError,
  ConsumerError,
  type ConsumerErrorCode,
  isConsumerError,
  QuarantineError,
  RecordError,
  type RecordErrorCode,
} from './errors.js';
export { parseLegacyTimestamp } from './formats/legacy-2015.js';
export {
  createHandler,
  createHandlerFromEnv,
  type HandlerConfig,
  type HandlerDeps,
  handler,
  type KinesisBatchHandler,
} from './handler.js';
export {
  type ConsumerLogger,
  type ConsumerMetrics,
  createLogger,
  createMetrics,
  estimateGaps,
  type InvocationSummary,
  type LatencyStats,
  latencyStats,
  publishSummary,
} from './instrumentation.js';
export { deaggregate, isKplAggregate, type KplUserRecord } from './kpl.js';
export {
  type AcceptedPart,
  type DecodedBatch,
  type ParsedRecord,
  type ParseOptions,
  parseRecord,
  type RecordFormat,
  type RecordMeta,
  type RecordPart,
  type RejectedPart,
} from './parse-record.js';
export {
  type BadRecordReport,
  contributorsOf,
  type DeadlineContext,
  type ProcessDeps,
  type ProcessOptions,
  type ProcessResult,
  processBatch,
  type QuarantineWriter,
  type SampleWriter,
} from './process-batch.js';
export {
  DEFAULT_MAX_RAW_BYTES,
  Quarantine,
  type QuarantinedRecord,
  type QuarantineEntry,
  type QuarantineOptions,
  quarantineKey,
} from './quarantine.js';
